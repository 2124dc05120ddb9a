ipvsadm -C; printf '%s\n' '-A -t 10.0.0.24:80' '-R -n' '-A -t 10.0.0.25:80' | ipvsadm -R

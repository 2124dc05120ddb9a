ipvsadm -C; printf '%s\n' '-A -t 10.0.0.4:80' '-A -t 10.0.0.5:80 -s' | ipvsadm -R

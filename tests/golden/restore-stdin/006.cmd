ipvsadm -C; printf '%s\n' '-A -t 10.0.0.2:80' '-A -t 10.0.0.2:80' '-A -t 10.0.0.3:80' | ipvsadm -R

ipvsadm -C; printf '%s\n' '-A -t 10.0.0.7:80 # web' '-A -t 10.0.0.8:80' | ipvsadm -R

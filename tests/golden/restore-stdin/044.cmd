ipvsadm -C; printf '%s\n' '-A -t 10.0.0.18:80 ipvsadm' | ipvsadm -R

ipvsadm -C; printf -- '-A -t 10.0.0.23:80' | ipvsadm -R

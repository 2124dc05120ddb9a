ipvsadm -C; printf '%s\n' '-A -t 10.0.0.7:80#web' | ipvsadm -R

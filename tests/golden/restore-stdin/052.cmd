ipvsadm -C; printf -- '-A -t 10.0.0.21:80\n-A -t 10.0.0.22:80 \t\r' | ipvsadm -R

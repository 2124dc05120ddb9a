ipvsadm -C; printf -- '-A -t 10.0.0.21:80\n-A -t 10.0.0.21:80\n\n\n' | ipvsadm -R

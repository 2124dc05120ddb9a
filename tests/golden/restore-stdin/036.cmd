ipvsadm -C; printf -- '-A\r-t\r10.0.0.13:80\r\n' | ipvsadm -R

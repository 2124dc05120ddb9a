ipvsadm -C; printf '\r\n\r\r\n-A -t 10.0.0.13:80\r\r\n' | ipvsadm -R

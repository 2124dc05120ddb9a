ipvsadm -A -t 0x:80

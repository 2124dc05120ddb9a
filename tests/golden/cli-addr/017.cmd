ipvsadm -A -t 0x.1:80

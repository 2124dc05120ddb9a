ipvsadm -A -t 0x7f.1:80

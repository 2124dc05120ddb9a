ipvsadm -Z -f 6

ipvsadm -Z -f 2 -6

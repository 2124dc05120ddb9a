ipvsadm -Z -f 1 -6

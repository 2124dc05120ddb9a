ipvsadm -Z -f 6 -6

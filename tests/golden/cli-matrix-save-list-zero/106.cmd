ipvsadm -Z -f 1

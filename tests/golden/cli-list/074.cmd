ipvsadm -Z -f 5

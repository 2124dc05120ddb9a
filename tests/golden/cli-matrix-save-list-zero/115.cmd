ipvsadm -Z -x 100

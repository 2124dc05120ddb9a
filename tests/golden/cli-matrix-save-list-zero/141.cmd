ipvsadm -Z -6

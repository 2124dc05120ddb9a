ipvsadm -Z -n

ipvsadm -Z -c

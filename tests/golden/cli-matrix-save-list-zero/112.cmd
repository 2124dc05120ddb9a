ipvsadm -Z -i

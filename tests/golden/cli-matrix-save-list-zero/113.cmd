ipvsadm -Z -g

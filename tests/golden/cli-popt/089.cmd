ipvsadm -D

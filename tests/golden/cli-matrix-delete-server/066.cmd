ipvsadm -d -g

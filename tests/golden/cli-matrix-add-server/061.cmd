ipvsadm -a -g

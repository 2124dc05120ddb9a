ipvsadm -a -i

ipvsadm -a -x 100

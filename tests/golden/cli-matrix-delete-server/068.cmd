ipvsadm -d -x 100

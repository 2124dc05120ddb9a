ipvsadm -d -f 1

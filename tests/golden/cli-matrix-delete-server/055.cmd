ipvsadm -d -c

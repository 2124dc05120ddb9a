ipvsadm -d -i

ipvsadm -L -t node1:80

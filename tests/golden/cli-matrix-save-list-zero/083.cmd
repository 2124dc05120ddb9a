ipvsadm -L -X

ipvsadm -h

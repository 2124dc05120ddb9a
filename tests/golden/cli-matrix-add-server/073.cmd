ipvsadm -a --syncid 1

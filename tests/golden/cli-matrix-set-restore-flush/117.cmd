ipvsadm -C --syncid 1

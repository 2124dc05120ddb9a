ipvsadm -C --rate

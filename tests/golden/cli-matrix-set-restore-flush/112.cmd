ipvsadm -C --stats

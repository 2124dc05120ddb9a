ipvsadm -a --stats

ipvsadm -L -c --stats

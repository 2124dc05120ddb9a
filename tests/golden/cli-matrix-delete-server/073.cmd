ipvsadm -d --stats

ipvsadm -S --stats

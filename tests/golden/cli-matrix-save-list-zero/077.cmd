ipvsadm -L --stats

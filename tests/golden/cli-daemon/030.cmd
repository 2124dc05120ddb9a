ipvsadm -L --timeout --stats

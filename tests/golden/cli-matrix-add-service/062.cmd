ipvsadm -A --stats

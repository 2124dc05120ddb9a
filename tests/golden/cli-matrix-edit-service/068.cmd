ipvsadm -E --stats

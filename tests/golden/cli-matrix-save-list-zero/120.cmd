ipvsadm -Z --stats

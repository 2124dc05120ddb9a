ipvsadm -e --stats

ipvsadm -D --stats

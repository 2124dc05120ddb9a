ipvsadm -R --stats

ipvsadm -L -n --stats --rate

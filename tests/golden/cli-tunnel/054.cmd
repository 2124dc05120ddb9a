ipvsadm -L -n --tun-info --stats

ipvsadm -L -c --tun-info --stats

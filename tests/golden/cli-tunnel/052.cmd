ipvsadm -L -n --tun-info --tun-info

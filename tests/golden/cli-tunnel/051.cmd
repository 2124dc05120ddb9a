ipvsadm -L -n --tun-info

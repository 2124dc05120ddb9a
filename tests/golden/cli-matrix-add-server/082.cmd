ipvsadm -a --tun-info

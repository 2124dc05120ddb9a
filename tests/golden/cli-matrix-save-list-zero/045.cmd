ipvsadm -S --tun-info

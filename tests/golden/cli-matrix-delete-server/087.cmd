ipvsadm -d --tun-info

ipvsadm -L --tun-info

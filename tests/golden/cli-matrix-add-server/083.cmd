ipvsadm -a --tun-type gre

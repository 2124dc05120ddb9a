ipvsadm -d --tun-type gre

ipvsadm -S --tun-type gre

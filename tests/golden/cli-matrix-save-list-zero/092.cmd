ipvsadm -L --tun-type gre

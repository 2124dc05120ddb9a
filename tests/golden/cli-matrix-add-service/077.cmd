ipvsadm -A --tun-type gre

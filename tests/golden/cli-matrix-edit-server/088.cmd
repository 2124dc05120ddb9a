ipvsadm -e --tun-type gre

ipvsadm -Z --tun-type gre

ipvsadm -E --tun-type gre

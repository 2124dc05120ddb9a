ipvsadm -C --tun-type gre

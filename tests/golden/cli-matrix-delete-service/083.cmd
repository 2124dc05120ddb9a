ipvsadm -D --tun-type gre

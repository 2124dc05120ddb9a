ipvsadm -R --tun-type gre

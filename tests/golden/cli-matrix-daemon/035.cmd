ipvsadm --start-daemon master --tun-type gre

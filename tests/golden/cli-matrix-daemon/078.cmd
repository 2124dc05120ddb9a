ipvsadm --stop-daemon master --tun-type gre

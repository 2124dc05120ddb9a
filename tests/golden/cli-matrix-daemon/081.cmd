ipvsadm --stop-daemon master --tun-csum

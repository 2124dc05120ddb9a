ipvsadm --stop-daemon master --tun-info

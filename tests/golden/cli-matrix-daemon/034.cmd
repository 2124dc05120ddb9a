ipvsadm --start-daemon master --tun-info

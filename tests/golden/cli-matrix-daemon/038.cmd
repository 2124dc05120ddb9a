ipvsadm --start-daemon master --tun-csum

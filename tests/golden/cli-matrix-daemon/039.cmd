ipvsadm --start-daemon master --tun-remcsum

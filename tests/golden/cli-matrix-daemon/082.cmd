ipvsadm --stop-daemon master --tun-remcsum

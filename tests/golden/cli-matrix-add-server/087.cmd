ipvsadm -a --tun-remcsum

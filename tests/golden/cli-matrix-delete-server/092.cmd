ipvsadm -d --tun-remcsum

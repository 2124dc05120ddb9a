ipvsadm -S --tun-remcsum

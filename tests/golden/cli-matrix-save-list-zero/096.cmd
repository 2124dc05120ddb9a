ipvsadm -L --tun-remcsum

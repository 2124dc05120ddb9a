ipvsadm -A --tun-remcsum

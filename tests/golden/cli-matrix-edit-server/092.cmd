ipvsadm -e --tun-remcsum

ipvsadm -E --tun-remcsum

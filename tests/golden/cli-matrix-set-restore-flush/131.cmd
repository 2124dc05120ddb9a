ipvsadm -C --tun-remcsum

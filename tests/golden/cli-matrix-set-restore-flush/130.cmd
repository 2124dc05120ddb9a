ipvsadm -C --tun-csum

ipvsadm -a --tun-csum

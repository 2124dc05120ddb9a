ipvsadm -S --tun-csum

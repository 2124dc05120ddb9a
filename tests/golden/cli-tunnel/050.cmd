ipvsadm -L --tun-csum

ipvsadm -d --tun-csum

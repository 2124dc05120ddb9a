ipvsadm -A --tun-csum

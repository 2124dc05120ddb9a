ipvsadm -e --tun-csum

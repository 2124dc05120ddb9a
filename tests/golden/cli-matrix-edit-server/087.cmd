ipvsadm -e --tun-info

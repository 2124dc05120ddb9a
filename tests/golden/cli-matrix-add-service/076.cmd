ipvsadm -A --tun-info

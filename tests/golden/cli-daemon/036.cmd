ipvsadm -L --timeout --tun-info

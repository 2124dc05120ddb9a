ipvsadm -E --tun-info

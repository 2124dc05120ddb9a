ipvsadm -E --tun-csum

ipvsadm -Lc -n --tun-info

ipvsadm -C --tun-info

ipvsadm -Z --tun-info

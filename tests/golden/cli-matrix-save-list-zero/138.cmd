ipvsadm -Z --tun-csum

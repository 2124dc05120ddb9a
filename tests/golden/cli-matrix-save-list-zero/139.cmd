ipvsadm -Z --tun-remcsum

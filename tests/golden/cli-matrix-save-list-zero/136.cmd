ipvsadm -Z --tun-port 6080

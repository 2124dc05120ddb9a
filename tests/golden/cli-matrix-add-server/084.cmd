ipvsadm -a --tun-port 6080

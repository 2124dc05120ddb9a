ipvsadm -S --tun-port 6080

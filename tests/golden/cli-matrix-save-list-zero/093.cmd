ipvsadm -L --tun-port 6080

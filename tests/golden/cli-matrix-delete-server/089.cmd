ipvsadm -d --tun-port 6080

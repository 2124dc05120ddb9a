ipvsadm -A --tun-port 6080

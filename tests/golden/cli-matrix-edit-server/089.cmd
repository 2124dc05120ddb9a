ipvsadm -e --tun-port 6080

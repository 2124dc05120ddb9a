ipvsadm -E --tun-port 6080

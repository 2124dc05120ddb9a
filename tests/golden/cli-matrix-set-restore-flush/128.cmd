ipvsadm -C --tun-port 6080

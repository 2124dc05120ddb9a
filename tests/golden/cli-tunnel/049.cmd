ipvsadm -L --tun-port 1

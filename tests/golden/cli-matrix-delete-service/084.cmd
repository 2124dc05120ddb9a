ipvsadm -D --tun-port 6080

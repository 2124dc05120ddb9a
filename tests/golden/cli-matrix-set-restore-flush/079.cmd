ipvsadm -R --tun-port 6080

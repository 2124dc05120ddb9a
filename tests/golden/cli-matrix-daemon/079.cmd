ipvsadm --stop-daemon master --tun-port 6080

ipvsadm --start-daemon master --tun-port 6080

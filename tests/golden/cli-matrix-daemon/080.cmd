ipvsadm --stop-daemon master --tun-nocsum

ipvsadm --start-daemon master --tun-nocsum

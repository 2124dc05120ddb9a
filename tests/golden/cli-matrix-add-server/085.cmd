ipvsadm -a --tun-nocsum

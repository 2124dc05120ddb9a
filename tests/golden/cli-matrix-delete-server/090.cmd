ipvsadm -d --tun-nocsum

ipvsadm -S --tun-nocsum

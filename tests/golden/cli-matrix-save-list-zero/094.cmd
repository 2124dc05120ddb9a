ipvsadm -L --tun-nocsum

ipvsadm -A --tun-nocsum

ipvsadm -e --tun-nocsum

ipvsadm -D --tun-nocsum

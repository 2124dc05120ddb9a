ipvsadm -C --tun-nocsum

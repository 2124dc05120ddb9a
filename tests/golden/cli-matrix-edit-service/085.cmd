ipvsadm -E --tun-nocsum

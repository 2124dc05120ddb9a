ipvsadm -Z --tun-nocsum

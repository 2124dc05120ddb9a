ipvsadm -R --tun-nocsum

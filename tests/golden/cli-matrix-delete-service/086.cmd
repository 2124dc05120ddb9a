ipvsadm -D --tun-csum

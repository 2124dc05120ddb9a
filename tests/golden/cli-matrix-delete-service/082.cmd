ipvsadm -D --tun-info

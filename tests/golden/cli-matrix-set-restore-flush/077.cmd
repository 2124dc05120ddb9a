ipvsadm -R --tun-info

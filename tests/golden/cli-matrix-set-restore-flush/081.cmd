ipvsadm -R --tun-csum

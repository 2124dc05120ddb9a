ipvsadm -R --tun-remcsum

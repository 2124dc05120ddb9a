ipvsadm -D --tun-remcsum

ipvsadm -Ln --persistent-conn --tun-info

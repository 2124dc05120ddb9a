ipvsadm -Lq

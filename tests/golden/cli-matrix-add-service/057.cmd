ipvsadm -A -x 100

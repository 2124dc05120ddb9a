ipvsadm -A -t pod-b

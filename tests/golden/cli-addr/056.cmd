ipvsadm -A -t pod-a.:82

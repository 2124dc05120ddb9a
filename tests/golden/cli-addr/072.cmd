ipvsadm -A -t [pod-a]:85

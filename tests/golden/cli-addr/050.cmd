ipvsadm -A -t pod-a:8080

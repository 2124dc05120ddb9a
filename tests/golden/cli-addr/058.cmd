ipvsadm -L -t pod-a:8080

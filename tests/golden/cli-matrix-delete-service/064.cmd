ipvsadm -D -y 10

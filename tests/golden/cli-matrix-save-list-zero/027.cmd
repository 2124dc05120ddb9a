ipvsadm -S -y 10

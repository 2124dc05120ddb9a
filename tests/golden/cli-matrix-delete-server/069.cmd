ipvsadm -d -y 10

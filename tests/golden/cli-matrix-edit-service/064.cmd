ipvsadm -E -y 10

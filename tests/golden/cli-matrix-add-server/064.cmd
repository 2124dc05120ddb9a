ipvsadm -a -y 10

ipvsadm -A -y 10

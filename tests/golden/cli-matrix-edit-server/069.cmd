ipvsadm -e -y 10

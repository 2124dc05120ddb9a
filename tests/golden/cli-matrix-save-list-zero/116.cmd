ipvsadm -Z -y 10

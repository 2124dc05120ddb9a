ipvsadm -R -y 10

ipvsadm -R -M 255.255.255.0

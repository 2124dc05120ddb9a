ipvsadm -R -i

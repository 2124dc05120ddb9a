ipvsadm -R -w 2

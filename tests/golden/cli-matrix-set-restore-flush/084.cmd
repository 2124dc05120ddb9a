ipvsadm -R -6

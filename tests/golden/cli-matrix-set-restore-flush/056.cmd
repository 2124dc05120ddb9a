ipvsadm -R -g

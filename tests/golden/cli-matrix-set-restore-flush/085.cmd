ipvsadm -R -f 1 -6

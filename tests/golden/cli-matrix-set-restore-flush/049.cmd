ipvsadm -R -f 1

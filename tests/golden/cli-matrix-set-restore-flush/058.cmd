ipvsadm -R -x 100

ipvsadm -R -c

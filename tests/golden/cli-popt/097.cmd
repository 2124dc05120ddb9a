ipvsadm -R -n

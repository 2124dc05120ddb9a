ipvsadm -R -b flag-1

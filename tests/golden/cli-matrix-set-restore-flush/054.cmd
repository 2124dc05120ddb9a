ipvsadm -R -m

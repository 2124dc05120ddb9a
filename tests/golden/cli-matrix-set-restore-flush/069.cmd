ipvsadm -R -X

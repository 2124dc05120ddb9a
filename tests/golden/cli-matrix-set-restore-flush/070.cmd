ipvsadm -R -o

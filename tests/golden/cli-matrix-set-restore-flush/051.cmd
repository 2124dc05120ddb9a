ipvsadm -R -p 60

ipvsadm -R -s rr

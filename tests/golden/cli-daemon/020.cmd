ipvsadm --set=1 2 3 4

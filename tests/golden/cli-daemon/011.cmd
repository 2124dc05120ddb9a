ipvsadm --set 1 2

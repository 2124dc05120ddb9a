ipvsadm --set 1 1 x

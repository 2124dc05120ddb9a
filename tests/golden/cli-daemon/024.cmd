ipvsadm 7 --set 8 9

ipvsadm --set 1

ipvsadm --set 10 20 30 -n

ipvsadm --set 2678400 1 1

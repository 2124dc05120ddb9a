ipvsadm --set 2678401 1 1

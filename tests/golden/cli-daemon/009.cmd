ipvsadm --set 1 2678401 1

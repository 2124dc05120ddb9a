ipvsadm -S --syncid 1

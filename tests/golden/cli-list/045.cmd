ipvsadm -L --syncid 1

ipvsadm -d --syncid 1

ipvsadm -A --syncid 1

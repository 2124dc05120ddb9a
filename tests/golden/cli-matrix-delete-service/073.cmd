ipvsadm -D --syncid 1

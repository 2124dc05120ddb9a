ipvsadm -e --syncid 1

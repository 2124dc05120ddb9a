ipvsadm -E --syncid 1

ipvsadm -A -t ''

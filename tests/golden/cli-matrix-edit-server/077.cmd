ipvsadm -e --nosort

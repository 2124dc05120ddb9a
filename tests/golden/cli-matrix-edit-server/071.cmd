ipvsadm -e --timeout

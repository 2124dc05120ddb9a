ipvsadm -E --timeout

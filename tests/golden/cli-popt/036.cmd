ipvsadm -- -L

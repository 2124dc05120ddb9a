ipvsadm -Ln --nosort --nosort

ipvsadm -D --nosort

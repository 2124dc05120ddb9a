ipvsadm -R --nosort

ipvsadm -C foo

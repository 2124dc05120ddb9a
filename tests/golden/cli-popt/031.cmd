ipvsadm -L foo

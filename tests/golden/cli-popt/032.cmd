ipvsadm -L foo bar

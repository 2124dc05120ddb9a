ipvsadm -Z -b flag-1

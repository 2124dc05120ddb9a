ipvsadm -Z --nosort

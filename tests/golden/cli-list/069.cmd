ipvsadm -Z

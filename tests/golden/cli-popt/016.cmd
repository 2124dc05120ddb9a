ipvsadm -L -Z

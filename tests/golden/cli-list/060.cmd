ipvsadm -L -n --stats --exact

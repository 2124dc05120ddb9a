ipvsadm -l -n --exact

ipvsadm -L --timeout --exact

ipvsadm -Lc -n --exact

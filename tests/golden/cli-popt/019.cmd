ipvsadm -L --help

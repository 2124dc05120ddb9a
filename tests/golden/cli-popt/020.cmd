ipvsadm -L --version

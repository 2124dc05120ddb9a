ipvsadm -L --numeric=yes

ipvsadm -L --set

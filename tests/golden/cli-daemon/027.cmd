ipvsadm -L --timeout -n

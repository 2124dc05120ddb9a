ipvsadm -L --list

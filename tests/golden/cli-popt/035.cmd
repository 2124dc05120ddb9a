ipvsadm -L --

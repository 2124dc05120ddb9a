ipvsadm -L --=x

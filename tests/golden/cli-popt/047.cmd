ipvsadm -L --NUMERIC

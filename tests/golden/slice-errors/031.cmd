ipvsadm -L --bogus

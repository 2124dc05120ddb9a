ipvsadm -A -f 4294967296

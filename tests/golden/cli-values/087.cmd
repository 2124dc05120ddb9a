ipvsadm -A -f -4294967295

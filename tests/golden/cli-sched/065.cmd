ipvsadm -A -f 2 -6 --ops

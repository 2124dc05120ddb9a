ipvsadm -D -f 2147483647

ipvsadm -A -f 4294967295 && ipvsadm -D -f 4294967295

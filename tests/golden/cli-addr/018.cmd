ipvsadm -A -t 4294967296:80

ipvsadm -A -t 443

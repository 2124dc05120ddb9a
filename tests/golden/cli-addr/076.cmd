ipvsadm -A -t [12345::1]:89

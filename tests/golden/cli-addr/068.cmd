ipvsadm -A -t [fd00::1]:65535

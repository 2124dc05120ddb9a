ipvsadm -A -t 1.2.3.4:65535

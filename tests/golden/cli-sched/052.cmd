ipvsadm -A -u 10.0.0.9:5060 -p --pe 0123456789abcdef

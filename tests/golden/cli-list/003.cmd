ipvsadm -A -u 10.0.0.1:53 -p

ipvsadm -A -t 10.0.0.2:80 -p -M 255.255.0

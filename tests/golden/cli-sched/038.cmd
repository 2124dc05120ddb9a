ipvsadm -A -t 10.0.0.3:80 -s dh

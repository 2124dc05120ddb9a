ipvsadm -A -M 255.0.0.0 -t 10.0.0.7:80 -p

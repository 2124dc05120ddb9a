ipvsadm -A -t 10.0.0.4:80 -p -M 0xffffff00

ipvsadm -A -t 10.0.0.10:80 -s wlc -b flag-3,flag-3

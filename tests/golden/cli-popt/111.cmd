ipvsadm -A -t 10.0.0.11:80 -s 'r!#:+'

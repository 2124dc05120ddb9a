ipvsadm -A -t 10.0.0.10:80 -s 'r!#:+' r

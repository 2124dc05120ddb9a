ipvsadm -A -t 10.0.0.12:80 -s 'w!#:+!#:+' lc

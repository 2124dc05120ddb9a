ipvsadm -A -t 10.0.0.14:80 -s 'rr!#:+' -p 60

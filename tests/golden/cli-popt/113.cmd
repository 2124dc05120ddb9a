ipvsadm -A -t 10.0.0.13:80 --scheduler='!#:+' rr -p

ipvsadm -A -t 10.0.0.15:80 -s'!#:+' -n sh

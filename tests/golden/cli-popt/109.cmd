ipvsadm -A -t 'pod-a!#:+' :80

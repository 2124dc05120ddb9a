ipvsadm -A -t nosuch.invalid:80

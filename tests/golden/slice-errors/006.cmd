ipvsadm -A -t nosuchhost.invalid:80

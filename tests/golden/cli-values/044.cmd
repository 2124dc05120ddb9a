ipvsadm -A -t 10.0.0.9:0 -p x

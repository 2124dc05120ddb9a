ipvsadm -A -t 10.0.0.5:0 --persistent=6

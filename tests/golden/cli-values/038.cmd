ipvsadm -A -t 10.0.0.6:0 --persistent 7

ipvsadm -A -t 10.0.0.4:0 -p5

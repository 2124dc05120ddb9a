ipvsadm -A -t 10.0.0.2:0 -p 2678400

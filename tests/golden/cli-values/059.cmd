ipvsadm -A -t 10.0.0.5:80 -p -M node1

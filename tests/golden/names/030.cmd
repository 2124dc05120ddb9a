ipvsadm -a -t node1:http -r pod-b -m

ipvsadm -a -t node1:http -r pod-a:http-alt -m

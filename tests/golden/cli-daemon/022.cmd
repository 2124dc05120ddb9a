ipvsadm --set 1 2 3 -t 10.0.0.1:80

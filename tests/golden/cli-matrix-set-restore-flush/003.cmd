ipvsadm --set 900 120 300 -t 10.0.0.1:80

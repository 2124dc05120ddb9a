ipvsadm --set 900 120 300 -r 10.0.1.1:80

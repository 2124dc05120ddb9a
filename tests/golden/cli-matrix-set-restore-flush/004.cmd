ipvsadm --set 900 120 300 -u 10.0.0.1:53

ipvsadm -A -t 172.16.0.5:80

ipvsadm -E -t 10.0.0.1:80 -s sh

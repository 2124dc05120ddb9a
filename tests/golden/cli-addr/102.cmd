ipvsadm -a -r 10.7:https -t 10.0.0.1:80 -m

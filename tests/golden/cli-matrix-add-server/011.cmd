ipvsadm -a -r 10.0.1.1:80 --sctp-service 10.0.0.1:80

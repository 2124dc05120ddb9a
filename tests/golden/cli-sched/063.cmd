ipvsadm -A --sctp-service 10.0.0.3:53 -o

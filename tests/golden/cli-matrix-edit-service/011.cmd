ipvsadm -E --sctp-service 10.0.0.1:80

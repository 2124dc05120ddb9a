ipvsadm -A --sctp-service 1.2.3.4:85

ipvsadm -A --sctp-service 10.0.0.1:80 -s wlc

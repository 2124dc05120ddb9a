ipvsadm --set 900 120 300 --sctp-service 10.0.0.1:80

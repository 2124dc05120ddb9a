ipvsadm --add-service --tcp-service 10.0.0.5:80 --scheduler rr

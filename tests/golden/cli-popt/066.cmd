ipvsadm --add-service --tcp-service=10.0.0.4:80 --scheduler=rr

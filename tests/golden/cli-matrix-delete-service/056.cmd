ipvsadm -D -p 60

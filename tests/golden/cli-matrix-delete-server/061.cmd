ipvsadm -d -p 60

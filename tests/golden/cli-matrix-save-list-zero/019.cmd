ipvsadm -S -p 60

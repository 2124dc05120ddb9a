ipvsadm -a -p 60

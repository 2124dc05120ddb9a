ipvsadm -E -p 60

ipvsadm -A -p 60

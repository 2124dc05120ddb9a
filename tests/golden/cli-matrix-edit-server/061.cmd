ipvsadm -e -p 60

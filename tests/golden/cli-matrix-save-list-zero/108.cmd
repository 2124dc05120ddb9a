ipvsadm -Z -p 60

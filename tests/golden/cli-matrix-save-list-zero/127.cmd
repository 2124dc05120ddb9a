ipvsadm -Z -o

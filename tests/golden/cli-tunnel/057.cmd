ipvsadm -Sn

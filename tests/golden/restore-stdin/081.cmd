ipvsadm -Sn | ipvsadm -R

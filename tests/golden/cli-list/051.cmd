ipvsadm -Lnc

ipvsadm -L -R

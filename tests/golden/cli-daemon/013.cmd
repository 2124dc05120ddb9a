ipvsadm --set

ipvsadm --clear

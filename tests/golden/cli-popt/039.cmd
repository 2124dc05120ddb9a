ipvsadm --list=x

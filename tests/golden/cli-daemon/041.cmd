ipvsadm --start-daemon MASTER

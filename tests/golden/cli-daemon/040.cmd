ipvsadm --start-daemon ''

ipvsadm-restore < /dev/null

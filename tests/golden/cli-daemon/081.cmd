ipvsadm --stop-daemon master foo

ipvsadm --stop-daemon bogus

ipvsadm --start-daemon bogus

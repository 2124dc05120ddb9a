ipvsadm --start-daemon master --pe sip

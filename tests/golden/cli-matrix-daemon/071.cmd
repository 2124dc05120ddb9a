ipvsadm --stop-daemon master --pe sip

ipvsadm -a --pe sip

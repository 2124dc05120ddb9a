ipvsadm -d --pe sip

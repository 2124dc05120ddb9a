ipvsadm -S --pe sip

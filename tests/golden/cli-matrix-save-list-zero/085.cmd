ipvsadm -L --pe sip

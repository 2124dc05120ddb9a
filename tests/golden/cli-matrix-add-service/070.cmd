ipvsadm -A --pe sip

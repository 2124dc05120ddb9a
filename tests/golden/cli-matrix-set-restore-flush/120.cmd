ipvsadm -C --pe sip

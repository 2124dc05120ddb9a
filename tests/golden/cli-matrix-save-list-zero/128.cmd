ipvsadm -Z --pe sip

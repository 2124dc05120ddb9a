ipvsadm -D --pe sip

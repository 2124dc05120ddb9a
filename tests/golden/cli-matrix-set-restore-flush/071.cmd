ipvsadm -R --pe sip

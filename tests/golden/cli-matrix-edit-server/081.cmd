ipvsadm -e --pe sip

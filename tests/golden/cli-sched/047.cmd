ipvsadm -A -u 10.0.0.2:5060 --pe sip

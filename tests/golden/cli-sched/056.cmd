ipvsadm -E -u 10.0.0.2:5060 -p 30 --pe sip

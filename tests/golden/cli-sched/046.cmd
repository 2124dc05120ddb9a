ipvsadm -A -u 10.0.0.1:5060 -p 60 --pe sip

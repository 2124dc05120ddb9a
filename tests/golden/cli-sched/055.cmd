ipvsadm -A -t 10.0.0.4:5060 -p --pe=sip

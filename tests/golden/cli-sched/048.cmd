ipvsadm -A -u 10.0.0.3:5060 -p --pe nosuch

ipvsadm -A -t 10.96.0.2:443 -s nosuchsched

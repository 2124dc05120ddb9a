ipvsadm -A -u 1.2.3.4:https

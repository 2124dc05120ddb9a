ipvsadm -A -t [:::1]:87

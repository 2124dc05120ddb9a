ipvsadm -A -t 192.168.188.61:30080 -s sh

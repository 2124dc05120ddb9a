ipvsadm -A -t 167772164:80

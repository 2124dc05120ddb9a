ipvsadm -A -f 1 -s wlc

ipvsadm -A -f 1 -6 -s wlc

ipvsadm -A -t fd00::4 -p

ipvsadm -A -t [fd00::3]:0

ipvsadm -A -t [FD00::2]:82

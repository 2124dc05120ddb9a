ipvsadm --set 900 120 300 -b flag-1

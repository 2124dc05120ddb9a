ipvsadm --set 900 120 300 -f 1 -6

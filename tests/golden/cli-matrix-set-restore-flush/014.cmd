ipvsadm --set 900 120 300 -w 2

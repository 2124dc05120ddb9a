ipvsadm --set 900 120 300 -x 100

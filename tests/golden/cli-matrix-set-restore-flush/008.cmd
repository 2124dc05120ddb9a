ipvsadm --set 900 120 300 -p 60

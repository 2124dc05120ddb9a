ipvsadm --set 900 120 300 --syncid 1

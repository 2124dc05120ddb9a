ipvsadm --set 900 120 300 -y 10

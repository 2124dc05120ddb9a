ipvsadm --set 900 120 300 --mcast-port 8849

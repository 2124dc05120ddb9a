ipvsadm --set 900 120 300 --mcast-group 224.0.0.82

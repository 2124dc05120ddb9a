ipvsadm --set 900 120 300 --mcast-interface nosuchif0

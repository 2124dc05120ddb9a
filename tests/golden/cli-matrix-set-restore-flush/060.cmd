ipvsadm -R --mcast-interface nosuchif0

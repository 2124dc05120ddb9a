ipvsadm -R --mcast-port 8849

ipvsadm -D --mcast-port 8849

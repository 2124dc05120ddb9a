ipvsadm --start-daemon master --mcast-group 10.0.0.1

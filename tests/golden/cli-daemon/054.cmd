ipvsadm --start-daemon master --mcast-group 0224.0.0.1

ipvsadm --start-daemon master --mcast-group 224.1

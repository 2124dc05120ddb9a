ipvsadm --start-daemon master --mcast-group bogus

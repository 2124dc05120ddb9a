ipvsadm --start-daemon master --mcast-group ff02::1:2:3:4:5:6:7:8

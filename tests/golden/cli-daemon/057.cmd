ipvsadm --start-daemon master --mcast-group ::1

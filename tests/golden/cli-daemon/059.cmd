ipvsadm --start-daemon master --mcast-group 255.255.255.255

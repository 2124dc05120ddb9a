ipvsadm --start-daemon master --mcast-interface lo --mcast-interface lo

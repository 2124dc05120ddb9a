ipvsadm --start-daemon=master --mcast-interface=lo --syncid=7 --mcast-group=239.1.2.3 --mcast-port=9000 --mcast-ttl=3 --sync-maxlen=1400

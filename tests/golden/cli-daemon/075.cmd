ipvsadm --start-daemon backup --mcast-interface lo --syncid 0 --mcast-group 224.0.0.81 --mcast-port 65535 --mcast-ttl 255 --sync-maxlen 65507

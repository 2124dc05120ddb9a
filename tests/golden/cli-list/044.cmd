ipvsadm -L --mcast-interface lo

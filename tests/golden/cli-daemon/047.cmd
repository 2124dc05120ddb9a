ipvsadm --start-daemon master --mcast-interface averyveryverylonginterfacename

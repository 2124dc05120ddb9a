ipvsadm --stop-daemon master --thresholds

ipvsadm --start-daemon master --thresholds

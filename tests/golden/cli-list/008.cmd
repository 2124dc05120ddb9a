ipvsadm -L -c --thresholds

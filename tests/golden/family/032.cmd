ipvsadm -L -n --thresholds

ipvsadm -a --thresholds

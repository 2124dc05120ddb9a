ipvsadm -d --thresholds

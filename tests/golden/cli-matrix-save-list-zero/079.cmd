ipvsadm -L --thresholds

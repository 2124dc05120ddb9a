ipvsadm -L --timeout --thresholds

ipvsadm -S --thresholds

ipvsadm -A --thresholds

ipvsadm -E --thresholds

ipvsadm -Z --thresholds

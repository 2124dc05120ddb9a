ipvsadm -e --thresholds

ipvsadm -D --thresholds

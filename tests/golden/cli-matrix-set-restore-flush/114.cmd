ipvsadm -C --thresholds

ipvsadm -R --thresholds

ipvsadm -Ln --rate --thresholds

ipvsadm -Ln --thresholds --persistent-conn

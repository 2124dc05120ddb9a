ipvsadm -L --stats --rate --thresholds --persistent-conn -n -t 10.0.0.1:80

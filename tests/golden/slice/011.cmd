ipvsadm -A -t 10.96.0.10:9153 -s wrr

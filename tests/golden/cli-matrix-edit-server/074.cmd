ipvsadm -e --rate

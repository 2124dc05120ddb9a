ipvsadm -A --rate

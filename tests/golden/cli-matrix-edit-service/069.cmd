ipvsadm -E --rate

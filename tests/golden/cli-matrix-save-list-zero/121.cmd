ipvsadm -Z --rate

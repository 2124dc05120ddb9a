ipvsadm -Z --syncid 1

ipvsadm -D --rate

ipvsadm -Ln --stats --rate

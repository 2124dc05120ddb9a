ipvsadm -R --rate

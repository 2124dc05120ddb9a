ipvsadm -L '' -n

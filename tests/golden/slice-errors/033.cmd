ipvsadm -L=x

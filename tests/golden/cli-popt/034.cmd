ipvsadm -L -- -n

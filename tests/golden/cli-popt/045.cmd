ipvsadm --lis

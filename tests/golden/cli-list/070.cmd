ipvsadm --zero

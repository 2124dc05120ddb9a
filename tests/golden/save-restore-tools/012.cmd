ipvsadm-save -- -n

ipvsadm-save -n

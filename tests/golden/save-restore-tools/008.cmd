ipvsadm-save -n -n

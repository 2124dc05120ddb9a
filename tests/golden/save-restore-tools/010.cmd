ipvsadm-save -x

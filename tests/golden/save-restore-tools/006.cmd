ipvsadm-save

ipvsadm-save --numeric

ipvsadm-save foo

printf '%s\n' '# only comments' | ipvsadm-restore

printf '%s\n' '# only comments' | "$REF_DIR"/ipvsadm-restore

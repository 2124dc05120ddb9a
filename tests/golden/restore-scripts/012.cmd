"$REF_DIR"/ipvsadm-save -- -n

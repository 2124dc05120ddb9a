"$REF_DIR"/ipvsadm-save --numeric

"$REF_DIR"/ipvsadm-save

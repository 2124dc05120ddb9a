"$REF_DIR"/ipvsadm-save foo

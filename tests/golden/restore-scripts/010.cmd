"$REF_DIR"/ipvsadm-save -x

"$REF_DIR"/ipvsadm-restore < /dev/null

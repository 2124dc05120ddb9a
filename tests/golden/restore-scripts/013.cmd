"$REF_DIR"/ipvsadm-save -n > /tmp/rules; ipvsadm -C; "$REF_DIR"/ipvsadm-restore < /tmp/rules

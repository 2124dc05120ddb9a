"$REF_DIR"/ipvsadm-save > /tmp/rules-names; "$REF_DIR"/ipvsadm-restore < /tmp/rules-names

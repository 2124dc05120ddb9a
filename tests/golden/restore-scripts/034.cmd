printf '%s\n' '-A -t 10.0.0.13:80' '-h' | "$REF_DIR"/ipvsadm-restore

printf '%s\n' '-A -t 10.0.0.5:80' '-A -t 10.0.0.5:80' | "$REF_DIR"/ipvsadm-restore

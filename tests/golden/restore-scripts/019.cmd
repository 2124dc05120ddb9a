printf '%s\n' '-A -t 10.0.0.3:80' '  # indented comment' '-A -t 10.0.0.4:80' | "$REF_DIR"/ipvsadm-restore

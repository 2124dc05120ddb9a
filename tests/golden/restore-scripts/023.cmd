printf '%s\n' '-A -t 10.0.0.6:80' '-A -t bogus.invalid:80' '-A -t 10.0.0.7:80' | "$REF_DIR"/ipvsadm-restore

printf '%s\n' '# a comment' '-A -t 10.0.0.1:80 -s rr' '#-A -t 10.0.0.2:80' '-a -t 10.0.0.1:80 -r 10.0.1.1 -m' | "$REF_DIR"/ipvsadm-restore

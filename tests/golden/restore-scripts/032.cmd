printf '%s\r\n' '-A -t 10.0.0.11:80' '# crlf comment' '-A -t 10.0.0.12:80' | "$REF_DIR"/ipvsadm-restore

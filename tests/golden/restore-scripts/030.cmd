ipvsadm -A -t 10.0.0.10:80; "$REF_DIR"/ipvsadm-restore -n < /dev/null

ipvsadm-save -n > /tmp/rules; ipvsadm -C; ipvsadm-restore < /tmp/rules

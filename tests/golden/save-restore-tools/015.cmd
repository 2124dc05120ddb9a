ipvsadm-save > /tmp/rules-names; ipvsadm-restore < /tmp/rules-names

ipvsadm -A -t '[::1] ':91

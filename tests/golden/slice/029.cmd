ipvsadm --list --numeric

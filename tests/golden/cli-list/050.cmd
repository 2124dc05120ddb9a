ipvsadm --list --numeric --stats

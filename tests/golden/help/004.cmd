ipvsadm --help

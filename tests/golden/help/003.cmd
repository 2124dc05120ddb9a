ipvsadm --version

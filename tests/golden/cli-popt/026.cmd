ipvsadm --version --bogus

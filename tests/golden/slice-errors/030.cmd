ipvsadm --bogus

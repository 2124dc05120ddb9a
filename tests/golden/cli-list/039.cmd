ipvsadm -L -r bogus.invalid

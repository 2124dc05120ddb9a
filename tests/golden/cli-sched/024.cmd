ipvsadm -L -b bogus

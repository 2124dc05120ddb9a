ipvsadm -L -c --persistent-conn --stats

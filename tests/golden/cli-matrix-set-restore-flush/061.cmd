ipvsadm -R --timeout

ipvsadm -R --syncid 1

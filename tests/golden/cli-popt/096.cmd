ipvsadm -R foo

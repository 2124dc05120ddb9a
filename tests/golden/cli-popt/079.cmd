ipvsadm -Ln -n

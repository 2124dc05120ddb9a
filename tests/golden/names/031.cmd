ipvsadm -Ln -t 192.168.188.61:80

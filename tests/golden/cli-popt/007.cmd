ipvsadm --save --numeric

ipvsadm -L ---numeric

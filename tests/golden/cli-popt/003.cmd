ipvsadm -LX

ipvsadm -LnX

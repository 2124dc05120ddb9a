ipvsadm -AA

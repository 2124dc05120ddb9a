ipvsadm -L -é

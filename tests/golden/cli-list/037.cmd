ipvsadm -L -M 255.0.0.0

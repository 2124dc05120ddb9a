ipvsadm -Ln=1

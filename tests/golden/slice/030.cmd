ipvsadm -ln

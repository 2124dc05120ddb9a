ipvsadm -Lt

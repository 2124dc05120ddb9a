ipvsadm -L --num

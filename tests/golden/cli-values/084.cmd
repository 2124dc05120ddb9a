ipvsadm -A -f ' 2'

ipvsadm -A -t '10.0.0.6	tab:80'

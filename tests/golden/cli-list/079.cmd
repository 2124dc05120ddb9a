ipvsadm -Z -t [::]:0

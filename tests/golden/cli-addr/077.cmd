ipvsadm -A -t [::1%lo]:90

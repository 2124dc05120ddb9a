ipvsadm -A -t POD-A:81

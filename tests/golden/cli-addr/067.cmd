ipvsadm -A -t ::1

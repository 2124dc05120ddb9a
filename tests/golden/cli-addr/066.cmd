ipvsadm -A -t ::1:81

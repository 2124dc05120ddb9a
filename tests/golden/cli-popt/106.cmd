POSIXLY_CORRECT= ipvsadm -L foo -n

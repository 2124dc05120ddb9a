POSIXLY_CORRECT=1 ipvsadm foo -L

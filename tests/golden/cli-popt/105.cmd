POSIXLY_CORRECT=1 ipvsadm -L -- -n

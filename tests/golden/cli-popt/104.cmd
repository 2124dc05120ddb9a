POSIXLY_CORRECT=1 ipvsadm --set 10 20 30 -n

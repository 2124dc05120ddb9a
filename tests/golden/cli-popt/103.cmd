POSIXLY_CORRECT=1 ipvsadm -A -t 10.0.0.9:80 rr -s sh

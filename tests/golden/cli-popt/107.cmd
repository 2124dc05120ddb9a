POSIX_ME_HARDER=1 ipvsadm -L foo -n

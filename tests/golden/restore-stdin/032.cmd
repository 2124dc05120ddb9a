ipvsadm -C; printf '\n\n-A -t 10.0.0.9:80\n\n \t \n-A -t 10.0.0.10:80 \t -s  rr\t\n\n' | ipvsadm -R

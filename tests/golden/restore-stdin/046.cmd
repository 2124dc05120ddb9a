ipvsadm -C; printf -- '-A -t 10.0.0.19:80\0junk -s rr\n-A\0x -t 10.0.0.20:80\n' | ipvsadm -R

ipvsadm -C; printf '%s\n' '-A -t 10.0.0.50:80 -s rr -p 0' '-A -t 10.0.0.51:80 -s rr' | ipvsadm -R

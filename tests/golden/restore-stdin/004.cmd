ipvsadm -C; printf '%s\n' '-A -t 10.0.0.1:80 -s rr' '-a -t 10.0.0.1:80 -r 10.0.1.1 -m -w 3' '-A -u 10.0.0.1:53' | ipvsadm -R

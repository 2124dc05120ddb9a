ipvsadm -C; printf '%s\n' '-A -t 10.0.0.46:80 -s rr' '-A -t 010.0.0.47:80 -s rr' '-a -t 10.0.0.46:80 -r 10.0.1.6:0 -m -w 1' '-A -t 10.0.0.48:0 -s rr' '-A -t 10.0.0.49:80 -s rr' | ipvsadm -R

ipvsadm -C; printf '%s\n' '-A -t 10.0.0.53:80 -s rr -p 2678401' '-A -t 10.0.0.54:80 -s rr' | ipvsadm -R

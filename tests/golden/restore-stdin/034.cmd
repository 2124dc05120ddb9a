ipvsadm -C; printf '%s\r\n' '-A -t 10.0.0.11:80 -s rr' '-a -t 10.0.0.11:80 -r 10.0.1.1 -m' '' '-A -t 10.0.0.12:80' | ipvsadm -R

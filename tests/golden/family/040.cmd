ipvsadm -a -t 10.20.0.1:80 -r 10.30.0.2 -i --tun-type ipip -w 4

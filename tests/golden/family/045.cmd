ipvsadm -a -t 10.20.0.1:80 -r 10.30.0.7 -i --tun-type gre --tun-csum

ipvsadm -a -t 10.0.0.1:80 -r 10.0.1.12 -i --tun-type gue --tun-type gre

ipvsadm -a -t 10.0.0.1:80 -r 10.0.1.10 -i --tun-type gre --tun-nocsum

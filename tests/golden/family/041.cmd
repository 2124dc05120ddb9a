ipvsadm -a -t 10.20.0.1:80 -r 10.30.0.3 -i --tun-type gue --tun-port 6080

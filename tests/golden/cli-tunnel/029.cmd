ipvsadm -a -t 10.0.0.1:80 -r 10.0.1.12 -m --tun-type gue --tun-port 6088

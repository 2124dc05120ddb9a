ipvsadm -a -t 10.0.0.1:80 -r 10.0.1.6 -i --tun-type gue --tun-port 6083 --tun-remcsum

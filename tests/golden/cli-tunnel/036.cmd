ipvsadm -a -t 10.0.0.1:80 -r [fd00::1]:80 -i --tun-type gue --tun-port 6091

ipvsadm -E -t 10.96.0.1:443 -s mh -b mh-port -p 600 -M 255.255.255.0

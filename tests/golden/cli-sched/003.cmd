ipvsadm -A -t 10.0.0.3:80 -b sh-port -s sh

ipvsadm -A -f 7 --ipv6 -p -M 64

ipvsadm -A -f 2147483647 -s wrr -p 120

ipvsadm -A -u 192.168.188.61:31053 -s wrr

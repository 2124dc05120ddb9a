ipvsadm --set 900 120 300 --tun-port 6080

ipvsadm -A -M nosuch.invalid -t [fd00::5]:80 -p

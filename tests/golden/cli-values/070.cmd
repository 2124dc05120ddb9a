ipvsadm -A -t [fd00::3]:80 -p -M 48abc

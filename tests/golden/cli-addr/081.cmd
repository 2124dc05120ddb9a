ipvsadm -A -t [fd00::5]:92 -p 60 -M 64

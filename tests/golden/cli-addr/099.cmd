ipvsadm -a -t 10.0.0.1:80 -r [fd00::9]:80 -i

ipvsadm -A -t 10.0.0.9:80 -s rrrrrrrrrrrrrrrrrrrrrrrr

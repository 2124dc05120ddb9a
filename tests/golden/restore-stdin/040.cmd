ipvsadm -C; printf '%s\n' 'ipvsadm -A -t 10.0.0.14:80' 'ipvsadm' '-A ipvsadm -t 10.0.0.15:80 ipvsadm' '-A -t 10.0.0.16:80 -s ipvsadm rr' 'ipvsadmx -A -t 10.0.0.17:80' | ipvsadm -R

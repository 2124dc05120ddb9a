ipvsadm -C; printf '%s\n' 'IPVSADM -A -t 10.0.0.18:80' | ipvsadm -R

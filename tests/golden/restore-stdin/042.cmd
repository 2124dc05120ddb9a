ipvsadm -C; printf '%s\n' 'ipvsadm ipvsadm' '/sbin/ipvsadm -A -t 10.0.0.18:80' | ipvsadm -R

ipvsadm -C; printf '%s\n' '# saved table' '-A -t 10.0.0.7:80' | ipvsadm -R

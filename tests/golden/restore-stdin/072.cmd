ipvsadm -C; printf '%s\n' '-A -t 10.0.0.24:80' '-L -n -t 10.0.0.99:80' '-A -t 10.0.0.25:80' | ipvsadm -R

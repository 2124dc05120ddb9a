ipvsadm -C; printf '%s\n' '-A -t 10.0.0.27:80' '-Z' '-Z -t 10.0.0.27:80' '-Z -t 10.0.0.28:80' '-C' | ipvsadm -R

ipvsadm -C; printf '%s\n' '-A -t 10.0.0.26:80 -s rr' '-Ln' '-Sn' '-L -n --timeout' '-Ln -t 10.0.0.26:80' '-D -t 10.0.0.26:80' '-Ln' | ipvsadm -R

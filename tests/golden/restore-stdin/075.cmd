ipvsadm -C; printf '%s\n' '--set 10 20 30' '-L --timeout' '--set 900 120 300' | ipvsadm -R

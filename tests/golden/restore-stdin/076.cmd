ipvsadm -C; printf '%s\n' '--stop-daemon master' '-L --daemon' | ipvsadm -R

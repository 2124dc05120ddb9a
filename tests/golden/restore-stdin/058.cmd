ipvsadm -C; printf -- '   ' | ipvsadm -R

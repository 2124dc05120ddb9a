ipvsadm -A -t 10.0.0.10:80; ipvsadm-restore -n < /dev/null

busybox su -s /bin/sh nobody -c "$(command -v ipvsadm) -A -t 10.0.0.1:80"

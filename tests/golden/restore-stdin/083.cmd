ipvsadm -C; ipvsadm -A -t 10.0.0.31:80; ipvsadm -Sn > /tmp/saved; ipvsadm -C; ipvsadm -R < /tmp/saved

ipvsadm -R -n </dev/null

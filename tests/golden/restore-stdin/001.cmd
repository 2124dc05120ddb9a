ipvsadm -R </dev/null

ipvsadm --set +1 ' 2' 3

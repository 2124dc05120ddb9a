ipvsadm --set '' 1 1

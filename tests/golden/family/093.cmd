ipvsadm --set -1 0 0

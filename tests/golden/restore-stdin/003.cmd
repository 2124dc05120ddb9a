ipvsadm -R foo </dev/null

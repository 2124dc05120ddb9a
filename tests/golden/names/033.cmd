ipvsadm -A -u node1:https -s rr

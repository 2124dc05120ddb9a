ipvsadm -A -ts

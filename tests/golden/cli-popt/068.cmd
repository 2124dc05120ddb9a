ipvsadm -A --tcp-service=

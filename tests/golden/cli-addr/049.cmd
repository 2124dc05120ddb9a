ipvsadm -A -t kubernetes:http

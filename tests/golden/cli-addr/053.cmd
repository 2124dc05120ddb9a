ipvsadm -A -t kubernetes-v6.default.svc:80

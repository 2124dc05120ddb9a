ipvsadm -A -t kubernetes.default.svc:https

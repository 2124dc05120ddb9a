ipvsadm -L -t kubernetes.default.svc:https

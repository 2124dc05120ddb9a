sed 's/^hosts:.*/hosts: files [NOTFOUND=return] dns/' /etc/nsswitch.conf >nsswitch && mount -o bind nsswitch /etc/nsswitch.conf

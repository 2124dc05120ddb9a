mkdir -p /usr/local/sbin && ln -sf "$(command -v ipvsadm)" /usr/local/sbin/ipvsadm

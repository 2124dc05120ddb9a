printf -- '-A -t 10.0.0.8:80\n-A -t 10.0.0.9:80 ' | "$REF_DIR"/ipvsadm-restore

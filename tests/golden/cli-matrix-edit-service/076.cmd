ipvsadm -E --pe sip

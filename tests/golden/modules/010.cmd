modprobe ip_vs conn_tab_bits=10

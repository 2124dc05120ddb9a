cat /proc/modules | grep -c '^ip_vs' ; true

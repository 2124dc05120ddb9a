cat /proc/modules | grep -o '^ip_vs ' ; true

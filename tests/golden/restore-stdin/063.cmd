ipvsadm -C; printf -- '-C\n%s -L\n' "$(printf 'x%.0s' {1..5000})" | ipvsadm -R

ipvsadm -C; printf -- '-A -t 10.0.0.40:80 -s %s\n' "$(printf 'x%.0s' {1..5000})" | ipvsadm -R

ipvsadm -C; printf -- '-A -t 10.0.0.40:80 -s %s\n-Ln\n' "$(printf 'r%.0s' {1..4096})" | ipvsadm -R

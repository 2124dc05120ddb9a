ipvsadm -A -t 10.0.0.9:80 --sched-flags=sh-port --scheduler=sh

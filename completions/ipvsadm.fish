complete -c ipvsadm -l set -d 'Set the tcp, tcpfin and udp connection timeouts (three values follow).' -r -f
complete -c ipvsadm -l start-daemon -d 'Start the connection sync daemon (master or backup).' -r -f -a "master\t''
backup\t''"
complete -c ipvsadm -l stop-daemon -d 'Stop the connection sync daemon (master or backup).' -r -f -a "master\t''
backup\t''"
complete -c ipvsadm -s t -l tcp-service -d 'A TCP virtual service, host[:port].' -r -f -a "(__fish_print_hostnames)"
complete -c ipvsadm -s u -l udp-service -d 'A UDP virtual service, host[:port].' -r -f -a "(__fish_print_hostnames)"
complete -c ipvsadm -l sctp-service -d 'An SCTP virtual service, host[:port].' -r -f -a "(__fish_print_hostnames)"
complete -c ipvsadm -s f -l fwmark-service -d 'A virtual service for packets with this firewall mark.' -r -f
complete -c ipvsadm -s s -l scheduler -d 'Scheduling algorithm (default wlc).' -r -f -a "rr\t''
wrr\t''
lc\t''
wlc\t''
lblc\t''
lblcr\t''
dh\t''
sh\t''
sed\t''
nq\t''
fo\t''
ovf\t''
mh\t''
twos\t''"
complete -c ipvsadm -s p -l persistent -d 'Make the service persistent, for timeout seconds (default 360).' -r -f
complete -c ipvsadm -s M -l netmask -d 'Persistence granularity: a mask, or a prefix length for IPv6.' -r -f
complete -c ipvsadm -s r -l real-server -d 'The real server, host[:port].' -r -f -a "(__fish_print_hostnames)"
complete -c ipvsadm -s w -l weight -d 'Weight of the real server (default 1).' -r -f
complete -c ipvsadm -s x -l u-threshold -d 'Upper connection threshold of the real server.' -r -f
complete -c ipvsadm -s y -l l-threshold -d 'Lower connection threshold of the real server.' -r -f
complete -c ipvsadm -l mcast-interface -d 'Multicast interface of the sync daemon.' -r -f
complete -c ipvsadm -l syncid -d 'Sync id of the daemon, 0 to 255.' -r -f
complete -c ipvsadm -l pe -d 'Persistence engine (sip).' -r -f -a "sip\t''"
complete -c ipvsadm -s b -l sched-flags -d 'Scheduler flags, comma-separated.' -r -f -a "flag-1\t''
flag-2\t''
flag-3\t''
sh-fallback\t''
sh-port\t''
mh-fallback\t''
mh-port\t''"
complete -c ipvsadm -l mcast-group -d 'Multicast group of the sync daemon.' -r -f
complete -c ipvsadm -l mcast-port -d 'UDP port of the sync daemon.' -r -f
complete -c ipvsadm -l mcast-ttl -d 'Multicast TTL of the sync daemon.' -r -f
complete -c ipvsadm -l sync-maxlen -d 'Largest sync message.' -r -f
complete -c ipvsadm -l tun-type -d 'Tunnel type: ipip, gue or gre.' -r -f -a "ipip\t''
gue\t''
gre\t''"
complete -c ipvsadm -l tun-port -d 'Destination port of a gue tunnel.' -r -f
complete -c ipvsadm -l netns -d 'Run the command in this network namespace.' -r -f
complete -c ipvsadm -l k8s -d 'With -L, -S, --check or --cleanup-kube-proxy: the cluster\'s objects as kubectl writes them (- for standard input; repeatable).' -r -F
complete -c ipvsadm -l kubeconfig -d 'With --k8s-api: the kubeconfig file to use.' -r -F
complete -c ipvsadm -l context -d 'With --k8s-api: the kubeconfig context to use.' -r -f
complete -c ipvsadm -l node -d 'With --k8s: the Node this host is, instead of finding it by its addresses.' -r -f
complete -c ipvsadm -l owner -d 'With -L: say whose each virtual service is; =kube-proxy or =other narrows -L and -S to that part.' -r -f -a "kube-proxy\t''
other\t''"
complete -c ipvsadm -l migrate -d 'With --check: what switching kube-proxy to that mode would do to this node.' -r -f -a "nftables\t''
iptables\t''"
complete -c ipvsadm -l backup -d 'With --cleanup-kube-proxy --apply: where to save what is removed, as an -R file.' -r -f
complete -c ipvsadm -l nodeport-range -d 'The cluster\'s node port range (default 30000-32767), for telling kube-proxy\'s services.' -r -f
complete -c ipvsadm -l nodeport-addresses -d 'With --k8s: the node addresses kube-proxy serves node ports on, as its flag of that name (default every address).' -r -f
complete -c ipvsadm -l watch -d 'With -L: a live view of the table, listed again every so many seconds (default 2).' -r -f
complete -c ipvsadm -l listen -d 'With --exporter: where to serve /metrics, /check, /healthz and /readyz (default 127.0.0.1:9893).' -r -f
complete -c ipvsadm -l grace -d 'With --exporter: how long a finding must hold before it counts as drift (default 90).' -r -f
complete -c ipvsadm -l read-interval -d 'With --exporter: the table is read at most once in this time, whatever the scrapes (default 5).' -r -f
complete -c ipvsadm -l table-namespace -d 'With --exporter: the table\'s families only of the virtual services of Services in these namespaces (implies --table-metrics; repeatable).' -r -f
complete -c ipvsadm -l table-service -d 'With --exporter: the table\'s families only of these Services\' virtual services (implies --table-metrics; repeatable).' -r -f
complete -c ipvsadm -l table-virtual-service -d 'With --exporter: the table\'s families only of these virtual services, as the check names them: \'TCP 10.96.0.1:443\', \'FWM 7\' (implies --table-metrics; repeatable).' -r -f
complete -c ipvsadm -l kube-proxy-metrics -d 'With --check --k8s or --exporter: kube-proxy\'s metrics port, read for its mode and last sync (default 127.0.0.1:10249).' -r -f
complete -c ipvsadm -s A -l add-service -d 'Add a virtual service.'
complete -c ipvsadm -s E -l edit-service -d 'Change a virtual service.'
complete -c ipvsadm -s D -l delete-service -d 'Remove a virtual service and its real servers.'
complete -c ipvsadm -s C -l clear -d 'Remove every virtual service.'
complete -c ipvsadm -s L -l list -d 'List the table, or one service.'
complete -c ipvsadm -s l -d 'Same as -L.'
complete -c ipvsadm -s Z -l zero -d 'Zero the counters of one service or of all.'
complete -c ipvsadm -s a -l add-server -d 'Add a real server to a virtual service.'
complete -c ipvsadm -s e -l edit-server -d 'Change a real server.'
complete -c ipvsadm -s d -l delete-server -d 'Remove a real server.'
complete -c ipvsadm -s h -l help -d 'Print the usage text.'
complete -c ipvsadm -s v -l version -d 'Print the version.'
complete -c ipvsadm -s R -l restore -d 'Read commands from standard input, one per line.'
complete -c ipvsadm -s S -l save -d 'Print the table as commands that -R reads back.'
complete -c ipvsadm -s m -l masquerading -d 'Forward by masquerading (NAT).'
complete -c ipvsadm -s i -l ipip -d 'Forward by tunnelling.'
complete -c ipvsadm -s g -l gatewaying -d 'Forward by direct routing (the default).'
complete -c ipvsadm -s n -l numeric -d 'Print addresses and ports as numbers.'
complete -c ipvsadm -s c -l connection -d 'List the connection entries.'
complete -c ipvsadm -l timeout -d 'List the tcp, tcpfin and udp timeouts.'
complete -c ipvsadm -l daemon -d 'List the sync daemons.'
complete -c ipvsadm -l stats -d 'List traffic counters.'
complete -c ipvsadm -l rate -d 'List traffic rates.'
complete -c ipvsadm -l thresholds -d 'List connection thresholds.'
complete -c ipvsadm -l persistent-conn -d 'List persistent connection counts.'
complete -c ipvsadm -l nosort -d 'List in the kernel\'s order.'
complete -c ipvsadm -l sort -d 'Does nothing; kept for old scripts.'
complete -c ipvsadm -s X -l exact -d 'Print exact numbers, unscaled.'
complete -c ipvsadm -s 6 -l ipv6 -d 'The fwmark service is IPv6 (after -f).'
complete -c ipvsadm -s o -l ops -d 'One-packet scheduling (UDP and fwmark services).'
complete -c ipvsadm -l tun-info -d 'List tunnel details.'
complete -c ipvsadm -l tun-nocsum -d 'Tunnel without checksums.'
complete -c ipvsadm -l tun-csum -d 'Tunnel with checksums.'
complete -c ipvsadm -l tun-remcsum -d 'Tunnel with remote checksum offload.'
complete -c ipvsadm -s j -l json -d 'Print a listing or the node check as one JSON document.'
complete -c ipvsadm -l check -d 'Check this node for kube-proxy\'s IPVS mode.'
complete -c ipvsadm -l validate -d 'With -R: check every line, change nothing.'
complete -c ipvsadm -l reconcile -d 'With -R: make the table equal to the input, without a flush.'
complete -c ipvsadm -l metrics -d 'With -L: print the table in Prometheus\'s text format.'
complete -c ipvsadm -l k8s-api -d 'Instead of --k8s FILE: read the cluster\'s objects from the API server, found as kubectl finds it.'
complete -c ipvsadm -l cleanup-kube-proxy -d 'Remove kube-proxy\'s virtual services and kube-ipvs0 addresses only (a dry run without --apply).'
complete -c ipvsadm -l apply -d 'With --cleanup-kube-proxy: make the changes, after saving what they remove.'
complete -c ipvsadm -l include-likely -d 'With --cleanup-kube-proxy: remove the services only likely kube-proxy\'s too.'
complete -c ipvsadm -l changes -d 'With -L: print each change to the table as a line, as it happens.'
complete -c ipvsadm -l exporter -d 'Serve this node\'s drift from the cluster to Prometheus, watching the API server (built with the kube feature).'
complete -c ipvsadm -l table-metrics -d 'With --exporter: add the families of each service and real server to /metrics, as -L --metrics names them but without the rate gauges.'

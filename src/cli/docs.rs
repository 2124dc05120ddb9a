//! The manual pages and shell completions, made from the flag table
//! (`flags::FLAGS`) and the prose kept here. Pure: data in, text out. The
//! clap `Command` built here only feeds clap_complete; it never parses a
//! command line (that is `popt` and `parse`). `examples/gen-docs.rs` writes
//! what `render_all` returns, and the integration test `docs` checks that the
//! committed files are current.

use std::fmt::Write as _;

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ValueHint};
use clap_complete::Shell;

use super::flags::{Arg as Kind, Flag, Tag, FLAGS};

/// The program the pages and completions describe.
const BIN: &str = "ipvsadm";

/// Where an option is described in the manual page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    Command,
    Service,
    ServiceOption,
    ServerOption,
    Listing,
    Daemon,
    /// Options of ours, which ipvsadm 1.31 lacks.
    Ours,
}

/// The manual's sections of options, in order, with their introductions.
const GROUPS: &[(Group, &str, &str)] = &[
    (
        Group::Command,
        "COMMANDS",
        r"Exactly one command is given per run. Those in capitals act on virtual services, those in lower case on the real servers of one service.",
    ),
    (
        Group::Service,
        "VIRTUAL SERVICES",
        r"A virtual service is named either by protocol, address and port, or by a firewall mark. Commands that act on one service take exactly one of these.",
    ),
    (
        Group::ServiceOption,
        "SERVICE OPTIONS",
        r"With \fB\-A\fR and \fB\-E\fR.",
    ),
    (
        Group::ServerOption,
        "REAL SERVER OPTIONS",
        r"With \fB\-a\fR and \fB\-e\fR (\fB\-r\fR also with \fB\-d\fR). Exactly one forwarding method applies to a server; without \fB\-g\fR, \fB\-i\fR or \fB\-m\fR it is direct routing.",
    ),
    (
        Group::Listing,
        "LISTING OPTIONS",
        r"With \fB\-L\fR (and \fB\-n\fR also with \fB\-S\fR). The connection, timeout and daemon listings do not combine with \fB\-\-stats\fR, \fB\-\-rate\fR or \fB\-\-thresholds\fR.",
    ),
    (
        Group::Daemon,
        "SYNC DAEMON OPTIONS",
        r"With \fB\-\-start\-daemon\fR. Options left out take the kernel's defaults.",
    ),
    (
        Group::Ours,
        "OPTIONS BEYOND IPVSADM 1.31",
        r"These options are this rewrite's own; ipvsadm 1.31 refuses them as unknown options. Without them, nothing behaves differently from ipvsadm 1.31. \fB\-h\fR lists them after ipvsadm's own text.",
    ),
];

fn group(tag: Tag) -> Group {
    use Tag::*;
    match tag {
        AddService | EditService | DeleteService | Clear | List | ListLower | Zero | AddServer
        | EditServer | DeleteServer | Set | Help | Version | Restore | Save | StartDaemon
        | StopDaemon => Group::Command,
        TcpService | UdpService | SctpService | FwmarkService => Group::Service,
        Scheduler | Persistent | Netmask | Pe | SchedFlags | Ops | Ipv6 => Group::ServiceOption,
        RealServer | Masquerading | Ipip | Gatewaying | Weight | UThreshold | LThreshold
        | TunType | TunPort | TunNocsum | TunCsum | TunRemcsum => Group::ServerOption,
        Numeric | Connection | Timeout | Daemon | Stats | Rate | Thresholds | PersistentConn
        | NoSort | Sort | Exact | TunInfo => Group::Listing,
        McastInterface | SyncId | McastGroup | McastPort | McastTtl | SyncMaxlen => Group::Daemon,
        Json | Netns | Check | Validate | Reconcile | Metrics | K8s | K8sApi | Kubeconfig
        | Context | Node | Owner | Migrate | CleanupKubeProxy | Apply | Backup | IncludeLikely
        | NodeportRange | NodeportAddresses | Watch | Changes | Exporter | Listen | Grace
        | ReadInterval | TableMetrics | KubeProxyMetrics | TableNamespace | TableService
        | TableVirtualService => Group::Ours,
    }
}

/// Whether an option is a command (one per run), ours included.
fn is_command(tag: Tag) -> bool {
    group(tag) == Group::Command
        || matches!(tag, Tag::Check | Tag::CleanupKubeProxy | Tag::Exporter)
}

/// Words that follow an option although the table reads it as taking no
/// argument: `--set` takes its three timeouts as operands.
fn operands(tag: Tag) -> &'static [&'static str] {
    match tag {
        Tag::Set => &["tcp", "tcpfin", "udp"],
        _ => &[],
    }
}

/// What the manual says about an option after the table's one line, in
/// roff. Empty when the line says it all. Long, but data: one arm a
/// option, nothing to follow from one arm to the next.
fn prose(tag: Tag) -> &'static str {
    use Tag::*;
    match tag {
        AddService => {
            r"The service is named with \fB\-t\fR, \fB\-u\fR, \fB\-\-sctp\-service\fR or \fB\-f\fR; how it picks real servers is set with the options under \fBSERVICE OPTIONS\fR. The kernel refuses a service that exists already."
        }
        EditService => {
            r"Name the service as for \fB\-A\fR. The new settings replace the old ones as a whole: a scheduler, persistence or flag left off the command line goes back to its default (\fBwlc\fR, not persistent, no flags) rather than keeping its current value."
        }
        DeleteService => "",
        Clear => {
            r"Their real servers go with them; the connection timeouts and any sync daemon are left as they are."
        }
        List => {
            r"With no service named, every virtual service is printed, each followed by its real servers; naming one service (\fB\-t\fR, \fB\-u\fR, \fB\-\-sctp\-service\fR or \fB\-f\fR) prints only that one. \fB\-c\fR prints the kernel's connection entries instead, \fB\-\-timeout\fR the three protocol timeouts and \fB\-\-daemon\fR the sync daemons. Without \fB\-n\fR, addresses and ports are shown as names where they resolve, which is slow when the resolver is unreachable. The options under \fBLISTING OPTIONS\fR add columns and change how numbers are printed. Running \fBipvsadm\fR with no arguments at all lists as \fB\-L\fR does."
        }
        ListLower => "",
        Zero => {
            r"Naming a service resets only its packet, byte and rate counters; with none, those of every service are reset."
        }
        AddServer => {
            r"Name the virtual service, and the server with \fB\-r\fR. The forwarding method, weight and thresholds come from \fBREAL SERVER OPTIONS\fR; left out, they take their defaults (direct routing, weight 1, no thresholds). The kernel refuses a server that the service has already."
        }
        EditServer => {
            r"Name the service and the server as for \fB\-a\fR. As with \fB\-E\fR, the settings are replaced as a whole: an edit without \fB\-w\fR puts the weight back to 1, and one without \fB\-g\fR, \fB\-i\fR or \fB\-m\fR goes back to direct routing."
        }
        DeleteServer => r"Name the service, and the server with \fB\-r\fR.",
        Set => {
            r"Each value is in seconds: how long an idle established TCP connection is kept, how long a TCP connection is kept once a FIN has been seen, and how long an idle UDP flow is kept. A value of 0 leaves that timeout as it is. \fBipvsadm \-L \-\-timeout\fR shows the values in force."
        }
        Help => {
            r"It goes to standard output, and needs no IPVS in the kernel (see \fBDELIBERATE DIFFERENCES FROM IPVSADM 1.31\fR)."
        }
        Version => r"Like \fB\-h\fR, it needs no IPVS in the kernel.",
        Restore => {
            r"Each line holds the options of one command as they would follow \fBipvsadm\fR on a command line. The word \fBipvsadm\fR is ignored wherever it appears, so the output of \fB\-S\fR reads back as it is; blank lines are skipped. A \fB#\fR is \fInot\fR a comment here (\fBipvsadm\-restore\fR(8) strips such lines). Nothing is cleared first: run \fB\-C\fR beforehand to replace the table rather than add to it. A line may not itself be \fB\-R\fR. See \fBEXIT STATUS\fR for what a failing line does."
        }
        Save => {
            r"Each virtual service becomes an \fB\-A\fR line and each of its real servers an \fB\-a\fR line; timeouts and sync daemons are not included. Add \fB\-n\fR to write addresses and ports as numbers: names are written otherwise, and they may not resolve the same way when the rules are read back."
        }
        StartDaemon => {
            r"A \fBmaster\fR sends the state of new and changed connections to a multicast group; a \fBbackup\fR listens on that group and creates matching entries, so that a standby director that takes over knows the connections already set up. The daemon runs in the kernel; its settings are under \fBSYNC DAEMON OPTIONS\fR."
        }
        StopDaemon => "",
        TcpService => {
            r"The \fIservice-address\fR is \fIhost\fR[\fB:\fIport\fR]. The host is an IPv4 address, an IPv6 address in square brackets (\fB[2001:db8::1]:80\fR) or a name to resolve; the port is a number or a name from \fI/etc/services\fR. A missing port means port 0, which only a persistent service (\fB\-p\fR) accepts: such a service takes every port of the address."
        }
        UdpService | SctpService => r"The address is written as for \fB\-t\fR.",
        FwmarkService => {
            r"The \fIfwmark\fR is a whole number from 1 to 4294967295. Packets are marked beforehand, for example by an \fBiptables\fR(8) \fBMARK\fR rule or an \fBnft\fR(8) \fBmeta mark set\fR rule; one firewall-mark service can so gather several addresses, ports and protocols under one scheduler and one persistence. The service is IPv4 unless \fB\-6\fR follows."
        }
        Scheduler => {
            r"The scheduler must be available to the kernel as a module (\fBip_vs_\fIname\fR); the kernel refuses one it does not have. Those known to this manual:"
        }
        Persistent => {
            r"A persistent service sends each new connection from a client to the real server that client was given before, as long as it comes back within \fItimeout\fR seconds. A value must be from 1 to 2678400 (31 days). Persistence is what makes a service on port 0 (every port) usable, and it suits protocols that open several connections per session. See also \fB\-M\fR and \fB\-\-pe\fR."
        }
        Netmask => {
            r"Clients whose addresses are equal under this mask share one persistence entry, and so one real server. For IPv4 it is a dotted mask (default \fB255.255.255.255\fR: each client on its own); for IPv6 a prefix length from 1 to 128 (default 128). Only meaningful with \fB\-p\fR."
        }
        Pe => {
            r"With \fBsip\fR, persistence follows the Call-ID of SIP messages over UDP rather than the client's address; it goes together with \fB\-p\fR, and the kernel needs its \fBip_vs_pe_sip\fR module."
        }
        SchedFlags => {
            r"Only some schedulers read flags, and a flag named after a scheduler is refused unless that scheduler is given with \fB\-s\fR. The flags:"
        }
        Ops => {
            r"Each datagram is scheduled on its own instead of a flow sticking to one server, and no connection entry is kept. Only for UDP services and firewall-mark services."
        }
        Ipv6 => r"Given before \fB\-f\fR, it is refused.",
        RealServer => {
            r"The \fIserver-address\fR is written as for \fB\-t\fR. Without a port, the server takes the port of the virtual service named before it on the command line (for a firewall-mark service, port 0: packets keep their own destination port). With direct routing and tunnelling the server's port is always the service's, whatever is given; only masquerading can change it. The server may belong to the other address family than the service only when tunnelling. An address that belongs to the director itself is delivered locally whatever the method, and is listed as \fBLocal\fR."
        }
        Masquerading => {
            r"The director rewrites the destination of each packet to the real server, and rewrites the replies back, so the replies must be routed through the director. This is the method kube-proxy uses for its endpoints."
        }
        Ipip => {
            r"Packets are encapsulated and sent to the real server, which unwraps them and answers the client directly; it must hold the virtual address itself without answering ARP for it. The encapsulation is chosen with \fB\-\-tun\-type\fR."
        }
        Gatewaying => {
            r"Packets go unchanged to the real server's link-layer address, so the server must be on a network the director is attached to, and hold the virtual address itself without answering ARP for it. Replies go straight to the client."
        }
        Weight => {
            r"A whole number, 0 or more. Under the weighted schedulers a server with a higher weight gets a larger share of new connections. Weight 0 quiesces a server: it gets no new connections but keeps those it has. kube-proxy drains an endpoint that is going away this way."
        }
        UThreshold => {
            r"Once the server has more connections than this, it gets no new ones. 0, the default, sets no limit."
        }
        LThreshold => {
            r"A server held back by \fB\-x\fR gets new connections again once its count falls below this. 0, the default, means three quarters of the upper threshold."
        }
        Numeric => {
            r"No name lookups at all: faster, and the form to use for output that is read by programs or saved for restoring."
        }
        Connection => {
            r"Each entry of the kernel's connection table is printed, from \fI/proc/net/ip_vs_conn\fR: protocol, time left, state, and the client, virtual and real server addresses. With \fB\-\-persistent\-conn\fR, the persistence engine's data is added where there is any."
        }
        Timeout => r"Three numbers of seconds, in the order \fB\-\-set\fR takes them.",
        Daemon => r"Each running daemon with its state, multicast interface and sync id.",
        Stats => {
            r"For each service and each server: connections, packets in and out, and bytes in and out since the counters were last zeroed. Large numbers are scaled unless \fB\-X\fR is given."
        }
        Rate => {
            r"For each service and each server: connections, packets and bytes per second, as the kernel averages them."
        }
        Thresholds => r"Adds each server's \fB\-x\fR and \fB\-y\fR values.",
        PersistentConn => {
            r"Adds the number of persistence entries that point at each server; with \fB\-c\fR, see there."
        }
        NoSort => {
            r"By default services are printed in order of protocol, address and port, and the servers of each by address and port, as ipvsadm 1.31 orders them; with this option they come as the kernel returns them."
        }
        Sort => r"Sorting is the default.",
        Exact => {
            r"Numbers of a hundred million or more are otherwise shortened to thousands (K), millions (M), billions (G) or trillions (T)."
        }
        TunInfo => r"Adds each real server's tunnel type, port and checksum flags.",
        TunType => {
            r"Only with \fB\-i\fR. \fBipip\fR, the default, is plain IP-in-IP and takes no other tunnel option. \fBgue\fR (Generic UDP Encapsulation) requires \fB\-\-tun\-port\fR and accepts one checksum option. \fBgre\fR (Generic Routing Encapsulation) accepts \fB\-\-tun\-csum\fR or \fB\-\-tun\-nocsum\fR."
        }
        TunPort => {
            r"Required with \fBgue\fR and refused with the other types: the UDP port on which the real server unwraps the packets."
        }
        TunNocsum => {
            r"For \fBgue\fR and \fBgre\fR. It is what the kernel does when no checksum option is given."
        }
        TunCsum => r"For \fBgue\fR and \fBgre\fR.",
        TunRemcsum => {
            r"For \fBgue\fR only: the sender leaves the checksum for the receiver to complete."
        }
        McastInterface => {
            r"The interface the master sends on, or the backup listens on; \fBeth0\fR when not given."
        }
        SyncId => {
            r"The master stamps its messages with this id and a backup takes only messages carrying its own, so that several pairs of directors can share a network. 0, the default, makes a backup take every message."
        }
        McastGroup => {
            r"An IPv4 or IPv6 multicast address; the kernel uses \fB224.0.0.81\fR by default."
        }
        McastPort => r"From 1 to 65535; the kernel uses 8848 by default.",
        McastTtl => {
            r"From 1 to 255; the kernel uses 1 by default, which keeps the messages on the local network."
        }
        Json => {
            r"With \fB\-L\fR (every listing: the table, one service, \fB\-c\fR, \fB\-\-timeout\fR, \fB\-\-daemon\fR) and with \fB\-\-check\fR. The document is written on one line; its shape is under \fBJSON OUTPUT\fR. Counters are exact 64-bit integers whatever \fB\-X\fR says, addresses are always numeric (no names are looked up), and \fB\-\-stats\fR, \fB\-\-rate\fR and the other column options change nothing: every field is always there. Services and servers come in the order of the text listing (\fB\-\-nosort\fR applies). With \fB\-\-watch\fR or \fB\-\-changes\fR it makes the change lines JSON objects, one a line (see \fB\-\-changes\fR)."
        }
        Netns => {
            r"The whole command runs in that network namespace, as \fBip \-n\fR does: a \fIname\fR is looked up under \fI/var/run/netns\fR (where \fBip netns add\fR puts it), anything with a slash is a path, such as \fI/proc/\fIpid\fI/ns/net\fR for a process's or a container's namespace. It may come before the command (\fBipvsadm \-\-netns web \-Ln\fR). Entering a namespace needs the \fBCAP_SYS_ADMIN\fR capability; a missing namespace or missing privilege is reported and the command is not run (exit status 2). A path that is no namespace (a plain file, a directory, a FIFO, a socket) is refused at once in the same way, without waiting on it. Not allowed on a line of \fB\-R\fR."
        }
        Check => {
            r"A report for a node that runs, or is about to run, kube-proxy in its IPVS mode, each item marked \fBok\fR, \fBinfo\fR or \fBattention\fR. IPVS: its version, connection table size, and how many services and servers it holds; attention if it is unavailable (when \fBip_vs\fR is neither loaded nor built in the kernel is not even asked, as asking would load it). Modules, from \fI/proc/modules\fR and the running kernel's \fImodules.builtin\fR and \fImodules.dep\fR: \fBip_vs\fR, \fBip_vs_rr\fR, \fBip_vs_wrr\fR, \fBip_vs_sh\fR and \fBnf_conntrack\fR need attention unless loaded or built in; the other schedulers are listed for information as loaded, built in, installed or not installed. Sysctls: \fBnet.ipv4.vs.conntrack\fR, \fBnet.ipv4.vs.expire_nodest_conn\fR, \fBnet.ipv4.vs.expire_quiescent_template\fR and \fBnet.ipv4.ip_forward\fR need attention unless 1, as kube-proxy sets them; \fBnet.ipv4.vs.conn_reuse_mode\fR, and \fBarp_ignore\fR and \fBarp_announce\fR of \fBnet.ipv4.conf.all\fR (strict ARP when 1 and 2), are information. The \fBkube\-ipvs0\fR interface needs attention if it is not a dummy, or if it is missing while there are services. Each virtual address of a TCP, UDP or SCTP service is ok on \fBkube\-ipvs0\fR, information on another interface only (a NodePort on the node's own address), and needs attention on none. Services with no real server, and real servers at weight 0 (shown with their active and inactive connections), need attention. Interfaces are read over rtnetlink and sysctls under \fI/proc/sys\fR, so with \fB\-\-netns\fR all but the modules are the namespace's. It changes nothing and loads no module. The report is a plain ASCII table, one finding a line, then how many need attention; with \fB\-j\fR it is one JSON document whose \fBfindings\fR are the table's lines (its shape is in \fIdocs/check.schema.json\fR). The exit status is 0 when nothing needs attention, 1 when something does, 2 when the report could not be written."
        }
        Validate => {
            r"Every line of the input is read and checked as \fB\-R\fR would check it, without touching the kernel (IPVS need not even be loaded); each bad line is reported on standard error as \fBline\fR \fIn\fR\fB:\fR followed by ipvsadm's message, and the exit status is 1 if there was any. Lines starting with \fB#\fR are comments. With \fB\-\-reconcile\fR, the changes that would be made are printed and none is made."
        }
        Reconcile => {
            r"The input is a whole table as \fB\-S\fR writes it (only \fB\-A\fR and \fB\-a\fR lines; \fB#\fR lines are comments). It is checked first, all of it: if any line is bad, nothing is changed. Then the live table is compared with it and changed with the fewest operations: missing services (with their servers) are added first, then changed services and servers edited and missing servers added, then servers not in the input removed, and last the services not in the input, so that no kept service is ever left without servers and there is no flush. Each change is printed on standard output as the \fBipvsadm\fR command that makes it, and a failed one is reported with ipvsadm's message; the exit status is 1 if any failed. An unchanged table costs one listing plus reading the input, and prints nothing."
        }
        Metrics => {
            r#"With \fB\-L\fR, of the whole table or of one service (\fB\-t\fR, \fB\-u\fR, \fB\-\-sctp\-service\fR, \fB\-f\fR), and with \fB\-\-netns\fR: the table in Prometheus's text exposition format, for node_exporter's textfile collector or any scraper of that format. Every metric is named \fBipvsadm_\fR...: \fBipvsadm_ipvs_info\fR (the version in its \fBversion\fR label), \fBipvsadm_connection_table_size\fR and \fBipvsadm_services\fR; per service \fBipvsadm_service_\fR and per real server \fBipvsadm_backend_\fR followed by \fBconnections_total\fR, \fBincoming_packets_total\fR, \fBoutgoing_packets_total\fR, \fBincoming_bytes_total\fR and \fBoutgoing_bytes_total\fR (counters, the kernel's exact 64-bit totals) and \fBconnections_per_second\fR, \fBincoming_packets_per_second\fR, \fBoutgoing_packets_per_second\fR, \fBincoming_bytes_per_second\fR and \fBoutgoing_bytes_per_second\fR (gauges, the kernel's rate estimates); and per real server the gauges \fBipvsadm_backend_connections_active\fR, \fBconnections_inactive\fR, \fBconnections_persistent\fR and \fBweight\fR. Labels are named and valued as node_exporter's ipvs collector does: \fBlocal_address\fR, \fBlocal_port\fR, \fBproto\fR (\fBTCP\fR, \fBUDP\fR, \fBSCTP\fR or \fBFWM\fR) and \fBlocal_mark\fR (a firewall-mark service has an empty address, port 0 and its mark here), and for a real server \fBremote_address\fR and \fBremote_port\fR; one more, \fBfamily\fR (\fBinet\fR or \fBinet6\fR), keeps an IPv4 and an IPv6 service on the same mark apart. Addresses are always numeric, with or without \fB\-n\fR. It cannot be combined with \fB\-j\fR, \fB\-c\fR, \fB\-\-timeout\fR or \fB\-\-daemon\fR ("options conflicts in the list command"); the other listing options change nothing. Every metric has its HELP and TYPE lines even when the table is empty. To feed the textfile collector, write to a temporary file and rename it, so that a scrape never reads half a file: \fBipvsadm \-L \-\-metrics > /var/lib/prometheus/node\-exporter/ipvsadm.prom.tmp && mv /var/lib/prometheus/node\-exporter/ipvsadm.prom.tmp /var/lib/prometheus/node\-exporter/ipvsadm.prom\fR (from cron or a systemd timer)."#
        }
        K8s => {
            r"The file is what \fBkubectl get services,endpointslices,nodes \-A \-o json\fR writes (a \fBv1\fR \fBList\fR; lists of only some of these kinds, single objects and several files are read too, \fB\-\fR is standard input). The files together may hold at most 256 MiB (a cluster of 10,000 Services with their EndpointSlices and 1,000 Nodes, as kubectl writes it, is well under 100 MiB); more, or an endless input such as \fI/dev/zero\fR or a pipe from \fBkubectl get \-w\fR, is an error, exit status 2. No API server is asked: run kubectl where you can and bring the file to the node, or read it from the API server with \fB\-\-k8s\-api\fR. This node is the Node with an InternalIP or ExternalIP address of this host (or the one \fB\-\-node\fR names), and the table expected is the one kube-proxy's IPVS proxier builds there: per Service port a virtual service on each ClusterIP, external IP and load-balancer ingress IP, and for a node port on each address of this host kube-proxy serves node ports on (see \fB\-\-nodeport\-addresses\fR: every address but \fBkube\-ipvs0\fR's and IPv6 link-local ones unless narrowed, loopback ones by kube-proxy's version); real servers are the endpoints' addresses and target ports, ready ones at weight 1, terminating ones at weight 0; \fBsessionAffinity: ClientIP\fR is persistence with its timeout; a \fBLocal\fR traffic policy keeps this node's endpoints only; topology hints narrow the others as kube-proxy narrows them (to this node's own when every ready endpoint has a node hint and one names this node, else to this node's zone, its \fBtopology.kubernetes.io/zone\fR label, when every ready endpoint has a zone hint and one names that zone). With \fB\-L\fR (and \fB\-n\fR, \fB\-t\fR, \fB\-u\fR, \fB\-f\fR, \fB\-\-stats\fR and the other columns) each line of the listing is followed by what it is: the Service port a virtual service serves (namespace/name:port, type, and which of its addresses), the Pod a real server is (namespace/name, node, ready, serving or terminating), or \fBno Service\fR and \fBno endpoint\fR for what nothing explains; with \fB\-j\fR the same is a \fBkubernetes\fR object on each service and server (null when nothing explains it). With \fB\-L \-\-watch\fR or \fB\-\-changes\fR each service is named by its Service too: under it in the view, after it in a change line, as a \fBkubernetes\fR object in a \fB\-j\fR change line. With \fB\-\-check\fR the report gains findings of check \fBkubernetes\fR, each with a stable code: \fBMISSING_SERVICE\fR (a Service port with no virtual service here), \fBORPHAN_SERVICE\fR (a virtual service on a kube\-ipvs0 address, or a node-port-shaped one on a host address kube-proxy would not use, that no Service explains), \fBORPHAN_ADDRESS\fR (a kube\-ipvs0 address no virtual service uses), \fBMISSING_SERVER\fR (a ready endpoint absent), \fBSTALE_SERVER\fR (a real server at weight above 0 that is no ready endpoint), \fBZERO_WEIGHT_READY\fR (a ready endpoint at weight 0), \fBAFFINITY_MISMATCH\fR (persistence and session affinity disagree), and for information \fBDRAINING\fR (a weight 0 server of a terminating or vanished endpoint, with its connections) and \fBEXPECTED_EMPTY\fR (no real server, which a Local policy explains). Services it judges are not judged again by the plain check's real-server rules. When the files hold kube-proxy's ConfigMap (\fBkubectl get configmap kube\-proxy \-n kube\-system \-o json\fR; other ConfigMaps are skipped), its \fBconfig.conf\fR (a \fBKubeProxyConfiguration\fR, YAML) is held against the node too: \fBKUBE_PROXY_CONFIG_SCHEDULER\fR (kube-proxy's virtual services use another scheduler than \fBipvs.scheduler\fR, empty meaning \fBrr\fR), \fBKUBE_PROXY_CONFIG_TIMEOUT\fR (the kernel's timeouts, see \fB\-\-timeout\fR, differ from a non-zero \fBipvs.tcpTimeout\fR, \fBtcpFinTimeout\fR or \fBudpTimeout\fR; zero ones are left as they were), \fBKUBE_PROXY_CONFIG_STRICT_ARP\fR (\fBipvs.strictARP\fR is on but \fBarp_ignore\fR is not 1 or \fBarp_announce\fR not 2), \fBKUBE_PROXY_CONFIG_MODE\fR (the mode is not \fBipvs\fR while kube-proxy's virtual services are here), \fBKUBE_PROXY_CONFIG_INVALID\fR (no readable configuration), or for information \fBKUBE_PROXY_CONFIG\fR (the node agrees); its \fBnodePortAddresses\fR narrow the node ports as \fB\-\-nodeport\-addresses\fR does, which wins when given. A file that is not such JSON is an error naming the file, line and column (exit status 2), as is a host that no Node of the file has."
        }
        K8sApi => {
            r"The Services, EndpointSlices and Nodes are listed from the API server (read-only: \fBlist\fR on \fBservices\fR, \fBendpointslices.discovery.k8s.io\fR and \fBnodes\fR), in pages of 500 as kubectl does, wherever \fB\-\-k8s\fR \fIfile\fR is accepted and instead of it. The server and credentials are found as kubectl finds them: the kubeconfig file \fB\-\-kubeconfig\fR names, else \fBKUBECONFIG\fR or \fI~/.kube/config\fR, else the service account of the pod it runs in. As kube-proxy, Services and EndpointSlices labelled \fBservice.kubernetes.io/service\-proxy\-name\fR or \fBservice.kubernetes.io/headless\fR are left out by the list's label selector; with \fB\-\-node\fR only that Node is listed, else all of them (this node is then found by its addresses). kube-proxy's ConfigMap is asked for too (\fBget\fR on \fBconfigmaps\fR \fBkube\-proxy\fR in \fBkube\-system\fR) and held against the node as with \fB\-\-k8s\fR; when it is absent or that \fBget\fR is refused, a line of information (\fBKUBE_PROXY_CONFIG_UNAVAILABLE\fR) says it was not checked. A server that cannot be reached, a TLS failure, refused credentials (401) or a refused permission (403, naming the verb and the resource) is a one-line error, exit status 2. Only in a build with the \fBkube\fR feature (\fBcargo build \-\-features kube\fR); elsewhere the option is an error, exit status 2."
        }
        Kubeconfig => {
            r"As kubectl's \fB\-\-kubeconfig\fR; without it \fBKUBECONFIG\fR or \fI~/.kube/config\fR."
        }
        Context => r"As kubectl's \fB\-\-context\fR; without it the kubeconfig's current context.",
        Node => {
            r"The name of this host's Node object, for a node whose addresses are not its Node's (behind NAT, say). A name the files do not hold is an error."
        }
        Owner => {
            r"Whose each virtual service is, with the evidence that decided (its real servers belong to it): \fBkube\-proxy\fR or \fBother\fR. With \fB\-\-k8s\fR, a virtual service a Service explains is kube-proxy's, and one on a \fBkube\-ipvs0\fR address that none explains is kube-proxy's leftover. Without it, kube-proxy's marks decide: a firewall-mark service, or one with a real server routed directly, tunnelled or local, is \fBother\fR (kube-proxy makes none and masquerades every real server); one on a \fBkube\-ipvs0\fR address is kube-proxy's for certain; one on an address of this host whose port is in the node port range (\fB\-\-nodeport\-range\fR) is \fIlikely\fR kube-proxy's; anything else is \fBother\fR. With \fB\-L\fR each service line is followed by its owner and evidence (\fB\-j\fR: \fBowner\fR and \fBowner_evidence\fR on each service). \fB\-\-owner=kube\-proxy\fR (certain and likely) or \fB\-\-owner=other\fR narrows \-L, \-j and \fB\-S\fR to that part, so that \fBipvsadm \-S \-n \-\-owner=other\fR is an \fB\-R\fR file of everything that is not kube-proxy's."
        }
        Migrate => {
            r"The node check plus findings of check \fBmigration\fR, with stable codes. \fBnftables\fR: kube-proxy started in nftables mode flushes the whole IPVS table and deletes \fBkube\-ipvs0\fR; \fBFOREIGN_AT_RISK\fR is a virtual service that is not kube-proxy's (keep it: \fBipvsadm \-S \-n \-\-owner=other > FILE\fR before, \fBipvsadm \-R < FILE\fR after the switch), \fBFOREIGN_ADDRESS_AT_RISK\fR an address on \fBkube\-ipvs0\fR that no kube-proxy service uses. \fBiptables\fR: kube-proxy in iptables mode removes nothing of IPVS mode; \fBLEFTOVER_AFTER_SWITCH\fR is each of kube-proxy's virtual services and \fBkube\-ipvs0\fR, which then stay and keep catching traffic (remove them with \fB\-\-cleanup\-kube\-proxy \-\-apply\fR). Both: \fBUNCERTAIN_OWNER\fR (information) for a service only likely kube-proxy's. Where \fBipset\fR and \fBiptables\-save\fR are installed, kube-proxy's ipsets and \fBKUBE\-\fR chains are listed for information, read only. The exit status is 1 when anything needs attention."
        }
        CleanupKubeProxy => {
            r"Removes kube-proxy's part of the node alone: its virtual services (their real servers with them), its addresses on \fBkube\-ipvs0\fR, and \fBkube\-ipvs0\fR itself once nothing else is on it; services of other owners are never touched, and one only likely kube-proxy's is left alone unless \fB\-\-include\-likely\fR. Ownership is decided as for \fB\-\-owner\fR (with \fB\-\-k8s\fR where given). Without \fB\-\-apply\fR nothing is changed: the services it would delete are printed on standard output as \fB\-D\fR lines (an \fB\-R\fR input) and the addresses on standard error. With \fB\-\-apply\fR it first writes what it removes as an \fB\-R\fR file (\fB\-\-backup\fR \fIfile\fR, or \fI/var/lib/ipvsadm/kube\-proxy\-\fRtime\fI.rules\fR), whole or not at all and never over an existing file, so that \fBipvsadm \-R < \fIfile\fR puts it back; then it deletes, printing each change. A kernel error midway stops it with what was removed and what was not, exit status 1."
        }
        Apply => r"Without it, \fB\-\-cleanup\-kube\-proxy\fR is a dry run.",
        Backup => {
            r"The file must not exist: an older backup is never overwritten. It is written through a temporary file in the same folder and linked into place."
        }
        IncludeLikely => {
            r"A service is only likely kube-proxy's when nothing but its node-port shape says so (a port of the node port range on an address of this host, every real server masqueraded); with \fB\-\-k8s\fR, the cluster's Services decide instead."
        }
        NodeportRange => {
            r"As the API server's \fB\-\-service\-node\-port\-range\fR: \fIfirst\fR\fB\-\fR\fIlast\fR."
        }
        NodeportAddresses => {
            r"As kube-proxy's flag of that name and its configuration's \fBnodePortAddresses\fR: CIDRs of either family, comma-separated, and the keywords \fBprimary\fR (the Node's first InternalIP or ExternalIP address of each family), \fBlocalhost\fR (\fB127.0.0.0/8\fR and \fB::1/128\fR) and \fBall\fR (\fB0.0.0.0/0\fR and \fB::/0\fR), in any combination as kube-proxy's newest versions take them. A family with no CIDR given (or with \fB0.0.0.0/0\fR or \fB::/0\fR) has node ports on every address of this host except those on \fBkube\-ipvs0\fR and IPv6 link-local ones; CIDRs narrow them to this host's addresses inside them. Loopback addresses (\fB127.0.0.1\fR, \fB::1\fR) have node ports only under kube-proxy 1.21 and older, and secondary IPv4 addresses (a second one in a subnet) only under 1.22 and newer unless a CIDR names them; the Node's \fBkubeProxyVersion\fR (else its \fBkubeletVersion\fR) says which, and without either such a node port is neither missed nor an orphan."
        }
        Watch => {
            r"With \fB\-L\fR, of the whole table or of one service (\fB\-t\fR, \fB\-u\fR, \fB\-\-sctp\-service\fR, \fB\-f\fR), and with \fB\-\-netns\fR: the table is listed again every \fIseconds\fR (2 when none is given; fractions such as \fB0.5\fR are allowed, from 0.1 to 86400), until interrupted. On a terminal it is a full-screen view: each service with its real servers, connections and bytes per second measured from the kernel's 64-bit counters (over the last 4 seconds or more, as the kernel brings them up to date every 2 seconds), active and inactive connections with their change, weight and forwarding method, a trend line of each service's connections per second, and marks for rows that appeared (\fB+\fR), vanished (\fB\-\fR, kept dimmed for a few refreshes) or changed weight (\fB~\fR). A real server at weight 0 shows its drain state: \fBdraining\fR while it has connections, \fBstuck\fR when they have not fallen for 60 seconds, \fBdrained\fR when none are left. The header says when the table was last listed and how long that took. Keys: \fBq\fR quits, \fBp\fR pauses, \fBs\fR cycles the sort (kernel order, address, connections per second, active connections), \fB/\fR filters the rows by address text (Enter keeps it, Escape clears it), the arrows, PgUp/PgDn and Home/End scroll. The terminal is restored on \fBq\fR, Ctrl-C, an error and a crash. Addresses are always numeric. A kernel error, or IPVS unloaded meanwhile, is shown and the listing tried again at the next refresh, on a new connection (looking the IPVS family up again, which loads the module where the system allows it). When standard output is not a terminal, or with \fB\-\-changes\fR or \fB\-j\fR, it prints change lines instead (see \fB\-\-changes\fR). It cannot be combined with \fB\-c\fR, \fB\-\-timeout\fR, \fB\-\-daemon\fR or \fB\-\-metrics\fR (\(dqoptions conflicts in the list command\(dq)."
        }
        Changes => {
            r"With \fB\-L\fR: instead of the view of \fB\-\-watch\fR (whose interval applies, 2 seconds by default), one line on standard output for each change between two listings, flushed at once: a timestamp (UTC, RFC 3339 with milliseconds), the event and what it is about. Events: \fBwatching\fR (the first listing, with how many services there are), \fBservice\-added\fR, \fBservice\-removed\fR, \fBservice\-changed\fR, \fBserver\-added\fR, \fBserver\-removed\fR, \fBserver\-changed\fR (each changed field as \fIname\fR \fIold\fR\fB\->\fR\fInew\fR), \fBdrain\-started\fR (a real server set to weight 0 with connections left), \fBdrain\-stuck\fR (its connections not falling for 60 seconds), \fBdrained\fR (a real server at weight 0 with no connection left), \fBerror\fR (a listing failed: the kernel's message, told once however many refreshes fail; the next listing is tried at the next refresh) and \fBrecovered\fR. Connection counts and counters are not changes. With \fB\-j\fR each line is a JSON object: \fBtime\fR, \fBevent\fR, \fBservice\fR and \fBserver\fR (their identity as in the listing's JSON), \fBchanges\fR (each field with its \fBold\fR and \fBnew\fR value), \fBconfig\fR for what was added, \fBactive_conns\fR and \fBinactive_conns\fR for drains, \fBservices\fR and \fBmessage\fR; its shape is in \fIdocs/changes.schema.json\fR. Addresses are always numeric."
        }
        Exporter => {
            r"A long-running process for one node (a DaemonSet's pod, or a service on the host): it lists Services, EndpointSlices and this Node from the API server once, as \fB\-\-k8s\-api\fR finds it (\fB\-\-kubeconfig\fR, \fB\-\-context\fR; in a pod its service account), then keeps them current with watches (bookmarks on, a new list after \fB410 Gone\fR, back-off after errors), and serves over HTTP: \fB/metrics\fR (Prometheus's text format: the findings of \fB\-\-check \-\-k8s\fR by code, those held past \fB\-\-grace\fR as drift and the age of the oldest, up to 100 findings with their Service named, the virtual services expected and found, the age of the API data and the watches' restarts and errors, the time and duration of the last read of the table), \fB/check\fR (the JSON document of \fB\-\-check \-\-k8s\-api \-j\fR for this node), \fB/healthz\fR and \fB/readyz\fR (200 once all three kinds have been listed, 503 before). The Node is the one \fB\-\-node\fR names, else the one \fBNODE_NAME\fR names (the downward API), else the one with an address of this host. The table is read when a page asks for it, at most once per \fB\-\-read\-interval\fR, and never changed. It runs until SIGTERM or SIGINT. Only in a build with the cargo feature \fBkube\fR."
        }
        Listen => {
            r"An address and a port, as \fB127.0.0.1:9893\fR or \fB[::1]:9893\fR. The default is loopback, because the metrics tell each Service's addresses and endpoints to whoever reads them: in a cluster, put kube-rbac-proxy in front, as kube-prometheus does for node-exporter (see README.md)."
        }
        Grace => {
            r"kube-proxy applies the API's changes after a delay (its \fBminSyncPeriod\fR, a busy node's sync time), so a rollout makes findings that vanish by themselves. A finding counts as drift only once it has held longer than this; 0 counts every finding at once."
        }
        ReadInterval => {
            r"Scrapes that come sooner get the last reading, so that a storm of scrapes cannot keep the kernel busy. From 0.1 to 86400."
        }
        TableMetrics => {
            r"Without it \fB/metrics\fR stays at a few hundred series whatever the table's size, as a fleet's Prometheus needs; with it, the families of \fB\-L \-\-metrics\fR are added with the same names, help and labels, but only its counters and the gauges no counter gives (5 series a service, 9 a real server: \fBipvsadm_service_\fR and \fBipvsadm_backend_\fR followed by \fBconnections_total\fR, \fBincoming_packets_total\fR, \fBoutgoing_packets_total\fR, \fBincoming_bytes_total\fR, \fBoutgoing_bytes_total\fR; \fBipvsadm_backend_connections_active\fR, \fBconnections_inactive\fR, \fBconnections_persistent\fR, \fBweight\fR), no \fB_per_second\fR gauge: Prometheus computes rates from the counters (\fBrate(ipvsadm_service_connections_total[5m])\fR). \fBipvsadm_services\fR counts the whole table. \fB\-\-table\-namespace\fR, \fB\-\-table\-service\fR and \fB\-\-table\-virtual\-service\fR narrow it."
        }
        TableNamespace => {
            r"Which Service a virtual service is comes from the cluster's objects, as \fB\-L \-\-k8s\fR tells it; a virtual service no Service explains is never in a namespace. The filters add up: a virtual service is kept when any \fB\-\-table\-namespace\fR, \fB\-\-table\-service\fR or \fB\-\-table\-virtual\-service\fR names it. Each takes a comma-separated list and may be given more than once."
        }
        TableService => {
            r"A Service by its namespace and name, as \fBkube\-system/kube\-dns\fR: every virtual service of it on this node (its cluster IPs, node ports, external and load balancer addresses, each port)."
        }
        TableVirtualService => {
            r"A virtual service as \fB\-\-check\fR and the exporter's \fBvirtual_service\fR label write it: the protocol (\fBTCP\fR, \fBUDP\fR, \fBSCTP\fR, in either case), a space, the numeric address and port (IPv6 in brackets: \fBUDP [fd00::10]:53\fR); or \fBFWM\fR and the mark, followed by \fBIPv6\fR for an IPv6 one. The only filter that reaches a virtual service no Service owns."
        }
        KubeProxyMetrics => {
            r"Where kube-proxy's \fB\-\-metrics\-bind\-address\fR answers on this node: \fB/proxyMode\fR and \fB/metrics\fR are read (plain HTTP, 1 second at most) for kube-proxy's mode and the time of its last sync (\fBkubeproxy_sync_proxy_rules_last_timestamp_seconds\fR). \fB\-\-check\fR adds a line of check \fBkubernetes\fR, code \fBKUBE_PROXY\fR (information: the mode and how long ago it last synced) or \fBKUBE_PROXY_NOT_IPVS\fR (attention: kube-proxy runs in another mode, so the table is not its to keep); the exporter adds \fBipvsadm_kube_proxy_up\fR, \fBipvsadm_kube_proxy_mode\fR and \fBipvsadm_kube_proxy_last_sync_timestamp_seconds\fR. A port that does not answer is no error: the check says nothing of it, the exporter's \fBipvsadm_kube_proxy_up\fR is 0."
        }
        SyncMaxlen => {
            r"The largest UDP payload of a sync message, from 1 to 65507. By default the kernel derives it from the interface's MTU, a master going no higher than 1500. A backup should accept at least what its master sends."
        }
    }
}

/// One line about a possible value, for the options whose values the
/// manual lists one by one (`None` for the others).
fn value_doc(tag: Tag, value: &str) -> Option<&'static str> {
    match (tag, value) {
        (Tag::Scheduler, v) => Some(match v {
            "rr" => "Round robin: each server in turn.",
            "wrr" => "Weighted round robin: in turn, each server getting a share of new connections in proportion to its weight.",
            "lc" => "Least connections: the server with the fewest active connections.",
            "wlc" => "Weighted least connections: the fewest active connections for its weight. The default.",
            "lblc" => "Locality-based least connections: a destination address keeps going to the same server while that server is not overloaded, otherwise to the least loaded one. Made for caching proxies.",
            "lblcr" => "Locality-based least connections with replication: as lblc, but each destination address has a set of servers that grows under load and shrinks again when quiet.",
            "dh" => "Destination hashing: the server is found by a hash of the destination address.",
            "sh" => "Source hashing: the server is found by a hash of the client's address. Reads the flags sh-fallback and sh-port.",
            "sed" => "Shortest expected delay: the server where a new connection would wait least, by (active connections + 1) / weight.",
            "nq" => "Never queue: an idle server when there is one, otherwise as sed.",
            "fo" => "Weighted failover: the available server with the highest weight.",
            "ovf" => "Weighted overflow: the available server with the highest weight until its active connections reach its weight, then the next.",
            "mh" => "Maglev hashing: a consistent hash of the client, which moves few clients when servers come and go. Reads the flags mh-fallback and mh-port.",
            "twos" => "Weighted random twos choice: two servers drawn at random by weight, the less loaded of the two taken. Recent kernels only.",
            _ => return None,
        }),
        (Tag::SchedFlags, v) => Some(match v {
            "flag-1" => "The first generic flag bit: the same bit as sh-fallback and mh-fallback, for any scheduler.",
            "flag-2" => "The second generic flag bit: the same bit as sh-port and mh-port, for any scheduler.",
            "flag-3" => "The third generic flag bit, which the schedulers above do not read.",
            "sh-fallback" => "With sh: when the hashed server is unavailable, another one is tried.",
            "sh-port" => "With sh: the client's port is hashed along with its address.",
            "mh-fallback" => "With mh: when the hashed server is unavailable, another one is tried.",
            "mh-port" => "With mh: the client's port is hashed along with its address.",
            _ => return None,
        }),
        _ => None,
    }
}

// ---------------------------------------------------------------------
// The clap command, for completions only.

/// The clap argument id of a table entry: its long name, except for a
/// later entry that repeats an earlier one's long name (`-l`).
fn arg_id(i: usize) -> String {
    let f = &FLAGS[i];
    if first_with_long(i) == i {
        f.long.to_string()
    } else {
        format!("{}-{}", f.long, f.short.unwrap_or('_'))
    }
}

/// The index of the first table entry with the same long name as entry `i`.
fn first_with_long(i: usize) -> usize {
    FLAGS
        .iter()
        .position(|f| f.long == FLAGS[i].long)
        .unwrap_or(i)
}

/// How the shells should complete a value.
fn value_hint(tag: Tag) -> ValueHint {
    match tag {
        Tag::TcpService | Tag::UdpService | Tag::SctpService | Tag::RealServer => {
            ValueHint::Hostname
        }
        Tag::K8s | Tag::Kubeconfig => ValueHint::FilePath,
        _ => ValueHint::Other,
    }
}

/// ipvsadm's options as a clap `Command`, for clap_complete. Parsing with
/// it would not behave as ipvsadm; it is never used for that.
pub fn command() -> clap::Command {
    let mut cmd = clap::Command::new(BIN)
        .about("Administer the Linux kernel's IP Virtual Server (IPVS) table")
        .disable_help_flag(true)
        .disable_version_flag(true);
    let commands: Vec<String> = (0..FLAGS.len())
        .filter(|&i| is_command(FLAGS[i].tag))
        .map(arg_id)
        .collect();
    for (i, f) in FLAGS.iter().enumerate() {
        let id = arg_id(i);
        let mut arg = Arg::new(id.clone()).help(f.doc);
        if first_with_long(i) == i {
            arg = arg.long(f.long);
        }
        if let Some(c) = f.short {
            arg = arg.short(c);
        }
        let ops = operands(f.tag);
        arg = match f.arg {
            Kind::None if ops.is_empty() => arg.action(ArgAction::SetTrue),
            Kind::None => arg
                .action(ArgAction::Set)
                .num_args(ops.len())
                .value_names(ops.iter().copied())
                .value_hint(ValueHint::Other),
            Kind::Required => arg
                .action(ArgAction::Set)
                .num_args(1)
                .value_name(f.value_name)
                .value_hint(value_hint(f.tag)),
            Kind::Optional => arg
                .action(ArgAction::Set)
                .num_args(0..=1)
                .value_name(f.value_name)
                .value_hint(value_hint(f.tag)),
        };
        if !f.values.is_empty() {
            arg = arg.value_parser(PossibleValuesParser::new(f.values.iter().copied()));
        }
        // One command per run: once one is typed, zsh offers no other.
        if is_command(f.tag) {
            arg = arg.conflicts_with_all(commands.iter().filter(|c| **c != id));
        }
        cmd = cmd.arg(arg);
    }
    cmd
}

/// The completion script for one shell.
pub fn completion(shell: Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut command(), BIN, &mut buf);
    String::from_utf8(buf).expect("clap_complete writes UTF-8")
}

// ---------------------------------------------------------------------
// roff.

/// Plain text from the table as roff: backslashes escaped, a dash that
/// starts a word (an option) made a minus sign, and a line that would start
/// with a control character guarded.
fn roff_text(s: &str) -> String {
    let mut out = String::new();
    let mut prev: Option<char> = None;
    for c in s.chars() {
        match c {
            '\\' => out.push_str(r"\e"),
            '-' if matches!(prev, None | Some(' ' | '(' | '-' | '/')) => out.push_str(r"\-"),
            _ => out.push(c),
        }
        prev = Some(c);
    }
    if out.starts_with('.') || out.starts_with('\'') {
        out.insert_str(0, r"\&");
    }
    out
}

/// A name in bold roff, every dash a minus sign.
fn bold_opt(s: &str) -> String {
    format!(r"\fB{}\fR", s.replace('-', r"\-"))
}

/// The `.TP` tag line of a table entry: every spelling and its value.
fn option_tag(i: usize) -> String {
    let f = &FLAGS[i];
    let mut names: Vec<String> = Vec::new();
    let same: Vec<&Flag> = FLAGS
        .iter()
        .enumerate()
        .filter(|(j, _)| first_with_long(*j) == i)
        .map(|(_, g)| g)
        .collect();
    for g in &same {
        if let Some(c) = g.short {
            names.push(bold_opt(&format!("-{c}")));
        }
    }
    names.push(bold_opt(&format!("--{}", f.long)));
    let mut tag = names.join(", ");
    let ops = operands(f.tag);
    match f.arg {
        Kind::None if ops.is_empty() => {}
        Kind::None => {
            let _ = write!(tag, r" \fI{}\fR", ops.join(" "));
        }
        Kind::Required => {
            let _ = write!(tag, r" \fI{}\fR", f.value_name);
        }
        Kind::Optional => {
            let _ = write!(tag, r" [\fI{}\fR]", f.value_name);
        }
    }
    tag
}

/// The manual's entry for table entry `i`.
fn option_entry(out: &mut String, i: usize) {
    let f = &FLAGS[i];
    out.push_str(".TP\n");
    out.push_str(&option_tag(i));
    out.push('\n');
    out.push_str(&roff_text(f.doc));
    out.push('\n');
    let more = prose(f.tag);
    if !more.is_empty() {
        out.push_str(more);
        out.push('\n');
    }
    if f.values.is_empty() {
        return;
    }
    if f.values.iter().all(|v| value_doc(f.tag, v).is_some()) {
        out.push_str(".RS\n");
        for v in f.values {
            let _ = writeln!(
                out,
                ".TP\n{}\n{}",
                bold_opt(v),
                roff_text(value_doc(f.tag, v).unwrap_or_default())
            );
        }
        out.push_str(".RE\n");
    } else {
        let list: Vec<String> = f.values.iter().map(|v| bold_opt(v)).collect();
        let _ = match list.split_last() {
            Some((only, [])) => writeln!(out, ".IP\nThe only value is {only}."),
            Some((last, rest)) => writeln!(out, ".IP\nOne of {} or {last}.", rest.join(", ")),
            None => Ok(()),
        };
    }
}

fn th(name: &str) -> String {
    format!(
        ".TH {} 8 \"\" \"ipvsadm\\-rs {}\" \"System Administration\"\n",
        name.to_uppercase().replace('-', r"\-"),
        env!("CARGO_PKG_VERSION")
    )
}

const GENERATED: &str = ".\\\" Generated by `cargo run --example gen-docs` from src/cli/flags.rs and\n.\\\" src/cli/docs.rs; edit those, not this file.\n";

/// ipvsadm(8).
pub fn man_ipvsadm() -> String {
    let mut s = String::from(GENERATED);
    s.push_str(&th("ipvsadm"));
    s.push_str(MAN_HEAD);
    for (g, title, intro) in GROUPS {
        let _ = writeln!(s, ".SH {title}\n{intro}");
        for (i, f) in FLAGS.iter().enumerate() {
            if group(f.tag) == *g && first_with_long(i) == i {
                option_entry(&mut s, i);
            }
        }
    }
    s.push_str(MAN_TAIL);
    s
}

const MAN_HEAD: &str = r#".SH NAME
ipvsadm \- administer the Linux kernel's IP Virtual Server table
.SH SYNOPSIS
.nf
\fBipvsadm\fR \fB\-A\fR|\fB\-E\fR \fIvirtual-service\fR [\fB\-s\fR \fIscheduler\fR] [\fB\-p\fR [\fItimeout\fR]] [\fB\-M\fR \fInetmask\fR]
        [\fB\-\-pe\fR \fIengine\fR] [\fB\-b\fR \fIsched-flags\fR] [\fB\-o\fR]
\fBipvsadm\fR \fB\-D\fR \fIvirtual-service\fR
\fBipvsadm\fR \fB\-C\fR
\fBipvsadm\fR \fB\-R\fR
\fBipvsadm\fR \fB\-S\fR [\fB\-n\fR]
\fBipvsadm\fR \fB\-a\fR|\fB\-e\fR \fIvirtual-service\fR \fB\-r\fR \fIserver-address\fR [\fB\-g\fR|\fB\-i\fR|\fB\-m\fR] [\fB\-w\fR \fIweight\fR]
        [\fB\-x\fR \fIupper\fR] [\fB\-y\fR \fIlower\fR] [\fItunnel options\fR]
\fBipvsadm\fR \fB\-d\fR \fIvirtual-service\fR \fB\-r\fR \fIserver-address\fR
\fBipvsadm\fR \fB\-L\fR|\fB\-l\fR [\fIvirtual-service\fR] [\fIlisting options\fR]
\fBipvsadm\fR \fB\-Z\fR [\fIvirtual-service\fR]
\fBipvsadm\fR \fB\-\-set\fR \fItcp tcpfin udp\fR
\fBipvsadm\fR \fB\-\-start\-daemon\fR \fBmaster\fR|\fBbackup\fR [\fIdaemon options\fR]
\fBipvsadm\fR \fB\-\-stop\-daemon\fR \fBmaster\fR|\fBbackup\fR
\fBipvsadm\fR \fB\-h\fR|\fB\-v\fR
.fi
.PP
where \fIvirtual-service\fR is one of
\fB\-t\fR|\fB\-u\fR|\fB\-\-sctp\-service\fR \fIhost\fR[\fB:\fIport\fR] or
\fB\-f\fR \fIfwmark\fR [\fB\-6\fR].
.SH DESCRIPTION
IP Virtual Server (IPVS) is the layer-4 load balancer inside the Linux
kernel. The kernel keeps a table of \fIvirtual services\fR \(em each a
protocol, address and port, or a firewall mark \(em and for each service a
list of \fIreal servers\fR and a \fIscheduler\fR that picks one of them for
every new connection. From then on the connection is tracked by the kernel
and its packets are forwarded to the chosen server by direct routing,
tunnelling or masquerading (NAT), without passing through user space.
The host doing this is called the \fIdirector\fR.
kube-proxy in its IPVS mode turns every Kubernetes service into such
virtual services and every ready endpoint into a real server.
.PP
\fBipvsadm\fR edits and lists that table. This one is a rewrite of
ipvsadm 1.31 that reads the same command lines, prints the same text and
exits with the same statuses, so that scripts and people used to the
original need not change; the few exceptions are listed under
\fBDELIBERATE DIFFERENCES FROM IPVSADM 1.31\fR.
It talks to the kernel over the generic-netlink family \fBIPVS\fR, and runs
\fBmodprobe ip_vs\fR once when that family is missing.
The kernel answers IPVS requests, listings included, only to a process
with the \fBCAP_NET_ADMIN\fR capability.
.PP
Options have a short and a long form, or only a long one. Short options
may be run together (\fB\-Ln\fR); a long option's value is the next word
or follows an equals sign (\fB\-\-weight=3\fR); long options may not be
shortened. Option values and defaults below are those ipvsadm checks;
the kernel may refuse more (a scheduler it has no module for, for
example).
"#;

const MAN_TAIL: &str = r#".SH DEFAULTS
.TP
Scheduler
\fBwlc\fR (weighted least connections).
.TP
Forwarding method
Direct routing (\fB\-g\fR).
.TP
Weight
1.
.TP
Persistence
Off; \fB\-p\fR without a value means 360 seconds, with a netmask of
255.255.255.255 (IPv4) or 128 (IPv6).
.TP
Thresholds
0, no limit.
.TP
Tunnel type
\fBipip\fR, without checksums.
.TP
Real server port
The virtual service's.
.TP
Sync daemon
Interface \fBeth0\fR and sync id 0; multicast group, port, TTL and
message size as the kernel chooses.
.TP
Listings
Names resolved, rows sorted, large numbers shortened.
.SH EXIT STATUS
.TP
0
The command did what was asked.
.TP
1
A listing could not be produced: the kernel refused to report a service,
its servers, the timeouts or the daemons, or the connection table could
not be read.
.TP
2
ipvsadm's own checks refused the command line (a bad value, options that
do not go together, a missing option), or IPVS could not be reached at
all; or (ours, whatever the command) standard output could not be
written.
.TP
255
The option reader refused the command line (an unknown option, a
missing value, no command), or the kernel refused the change.
.PP
With \fB\-R\fR, the lines run in turn and the status is that of the last
one; a line refused by ipvsadm's own checks, or a listing that fails, ends
the run at once with its status. A failed write of standard output does
not end it (the changes are still made), but the status is then 2.
Changes are sent to the kernel many at a time, never more than the
socket can hold the kernel's refusals for, so each refused line is told
in its turn with ipvsadm's message. Should the kernel's answer to a change
be lost all the same, the line is named (\fBthe kernel's answer to line\fR
\fIn\fR \fBwas lost\fR ...), the rest goes one change at a time, and the
status is 255.
.PP
The options of ours: \fB\-\-netns\fR exits with 2 when the namespace
cannot be entered; \fB\-R \-\-validate\fR and \fB\-R \-\-reconcile\fR exit
with 1 when a line is bad or a change failed; \fB\-\-check\fR exits with 1
when something needs attention.
.SH JSON OUTPUT
With \fB\-j\fR, a listing is one JSON object on one line, whose
\fBschema_version\fR is 1. The table (\fB\-L\fR) and one service
(\fB\-L \-t\fR ...) give \fBipvs\fR (\fBversion\fR, \fBversion_code\fR,
\fBconn_tab_size\fR) and \fBservices\fR, an array; each service has
\fBfamily\fR (\fBinet\fR or \fBinet6\fR), \fBprotocol\fR (\fBtcp\fR,
\fBudp\fR, \fBsctp\fR), \fBaddress\fR and \fBport\fR, or \fBfwmark\fR
(the others then null), \fBscheduler\fR, \fBflags\fR (names:
\fBpersistent\fR, \fBhashed\fR, \fBone\-packet\fR and the scheduler flags
as \fB\-b\fR names them) and \fBflags_value\fR, \fBpersistence\fR (null, or
\fBtimeout\fR and \fBnetmask\fR), \fBpe\fR, \fBstats\fR (\fBconns\fR,
\fBinpkts\fR, \fBoutpkts\fR, \fBinbytes\fR, \fBoutbytes\fR), \fBrates\fR
(\fBcps\fR, \fBinpps\fR, \fBoutpps\fR, \fBinbps\fR, \fBoutbps\fR) and
\fBservers\fR. Each server has \fBfamily\fR, \fBaddress\fR, \fBport\fR,
\fBforward\fR (\fBmasq\fR, \fBlocal\fR, \fBtunnel\fR, \fBroute\fR,
\fBbypass\fR), \fBweight\fR, \fBu_threshold\fR, \fBl_threshold\fR,
\fBactive_conns\fR, \fBinactive_conns\fR, \fBpersistent_conns\fR,
\fBtunnel\fR (null, or \fBtype\fR, \fBport\fR and \fBchecksum\fR),
\fBstats\fR and \fBrates\fR. \fB\-\-timeout\fR gives \fBtimeouts\fR
(\fBtcp\fR, \fBtcp_fin\fR, \fBudp\fR), \fB\-\-daemon\fR gives
\fBdaemons\fR, and \fB\-c\fR gives \fBconnections\fR (\fBprotocol\fR,
\fBclient\fR, \fBvirtual\fR and \fBserver\fR, each an \fBaddress\fR and a
\fBport\fR, \fBstate\fR, \fBexpires\fR in seconds, \fBpe_name\fR,
\fBpe_data\fR). Counters are exact integers up to 2^64\-1. The JSON Schema
is \fIdocs/ipvsadm.schema.json\fR in the source. Later versions may add
fields, but do not rename or remove one without raising
\fBschema_version\fR.
.SH DELIBERATE DIFFERENCES FROM IPVSADM 1.31
Apart from these, every byte of output and every exit status is meant to
be the same as ipvsadm 1.31's; each difference is tested.
.IP \(bu 2
Firewall marks are printed as unsigned numbers
(\fBFWM  4294967295\fR, \fB\-f 4294967295\fR), as later versions of
ipvsadm do; 1.31 printed marks of 2147483648 and above as negative
numbers.
.IP \(bu 2
The 64-bit counters of each real server are read in full; 1.31 kept only
their low 32 bits.
.IP \(bu 2
\fB\-h\fR and \fB\-v\fR work on a kernel without IPVS; 1.31 failed to
start and exited with status 2 before looking at its options.
.IP \(bu 2
Options that ipvsadm 1.31 lacks (\fB\-j\fR, \fB\-\-netns\fR,
\fB\-\-check\fR, \fB\-\-validate\fR, \fB\-\-reconcile\fR; see
\fBOPTIONS BEYOND IPVSADM 1.31\fR) are listed by \fB\-h\fR after its text,
which is otherwise unchanged. ipvsadm 1.31 refuses them as unknown
options, so no command line that it accepts reads differently.
.IP \(bu 2
When standard output cannot be written (a full disk, an I/O error), the
first failure is reported once on standard error as
\fBipvsadm: write error:\fR followed by the system's words (for example
\fBNo space left on device\fR), nothing more is written there, and the
exit status is 2 whatever the command's own status. This holds for every
listing (\fB\-L\fR, \fB\-S\fR, \fB\-j\fR, \fB\-\-timeout\fR,
\fB\-\-daemon\fR, \fB\-c\fR), \fB\-h\fR, \fB\-\-check\fR, the plan
of \fB\-R \-\-reconcile\fR and \fBipvsadm\-save\fR(8) (which names itself
in the message). ipvsadm 1.31 ignored the failure and exited 0 with a
truncated file, so that \fBipvsadm \-S > rules\fR on a full disk left part
of a table to be restored. A closed pipe is not such a failure: as with
1.31, the process is killed by \fBSIGPIPE\fR (and if that signal is
blocked, writing stops without a message and the status is unchanged).
.SH FILES
.TP
.I /proc/net/ip_vs_conn
The connection table that \fB\-L \-c\fR prints.
.TP
.I /proc/net/ip_vs
The service table, in the kernel's own format.
.TP
.I /proc/sys/net/ipv4/vs/
The kernel's IPVS settings (see the kernel's \fIipvs\-sysctl\fR
documentation).
.TP
.I /etc/hosts
Host names for listings without \fB\-n\fR. Where
\fI/etc/nsswitch.conf\fR takes host names from \fBfiles\fR alone, it is
read once per listing and its lines are taken as the C library takes
them; otherwise each distinct address is looked up through the C
library once.
.TP
.I /etc/services
Port names, per protocol.
.PP
The Debian package \fBipvsadm\-rs\fR, which takes the place of Debian's
\fBipvsadm\fR, installs these besides the binary (\fI/sbin/ipvsadm\fR,
with \fBipvsadm\-save\fR and \fBipvsadm\-restore\fR linked to it):
.TP
.I /etc/default/ipvsadm
Settings of the service: \fBAUTO\fR (\fBtrue\fR: load
\fI/etc/ipvsadm.rules\fR at start and reload), \fBDAEMON\fR (the sync
daemons to run: \fBnone\fR, \fBmaster\fR, \fBbackup\fR or \fBboth\fR),
\fBIFACE\fR (their interface) and \fBSYNCID\fR (their sync ID, 0 for
any). A conffile: local changes are kept.
.TP
.I /etc/ipvsadm.rules
The saved table, as \fB\-S \-n\fR writes it; lines starting with \fB#\fR
are comments. A conffile.
.TP
.I /lib/systemd/system/ipvsadm.service
A oneshot unit that stays active after starting. \fBsystemctl start
ipvsadm\fR makes the table the one in the rules file with
\fB\-R \-\-reconcile\fR when \fBAUTO\fR is true (services that stay are
never emptied, so there is no moment without them) and starts the sync
daemons \fBDAEMON\fR asks for; \fBstop\fR stops those daemons and leaves
the table as it is; \fBreload\fR reconciles again, printing and making
only the changes.
.TP
.I /usr/lib/ipvsadm/ipvsadm\-rules
The script the unit and \fI/etc/init.d/ipvsadm\fR run, with the same
commands on hosts without systemd: \fBstart\fR, \fBstop\fR,
\fBrestart\fR, \fBreload\fR, \fBstatus\fR, and \fBsave\fR, which writes
the live table into \fI/etc/ipvsadm.rules\fR (a \fB# ipvsadm.rules\fR line,
then \fB\-S \-n\fR) through a temporary file renamed over the old one.
A missing rules file is an error that leaves the table alone.
.SH EXAMPLES
These come up when looking into kube-proxy in IPVS mode. kube-proxy owns
the table and puts it back as it wants it at each resync, so use it to
read; a change by hand lasts only until the next resync. The service
addresses are those kube-proxy binds to its \fBkube\-ipvs0\fR dummy
interface.
.PP
The whole table, with numbers instead of names (names are slow and
ambiguous for cluster addresses):
.PP
.RS
.nf
# ipvsadm \-Ln
IP Virtual Server version 1.2.1 (size=4096)
Prot LocalAddress:Port Scheduler Flags
  \-> RemoteAddress:Port           Forward Weight ActiveConn InActConn
TCP  10.96.0.1:443 rr
  \-> 192.168.188.61:6443          Masq    1      0          0
TCP  10.96.0.10:53 rr
  \-> 10.244.1.5:53                Masq    1      0          0
  \-> 10.244.2.7:53                Masq    1      0          0
.fi
.RE
.PP
One service only, here the API server's ClusterIP; its real servers
should be the control-plane endpoints:
.PP
.RS
.nf
ipvsadm \-Ln \-t 10.96.0.1:443
.fi
.RE
.PP
Traffic counters in full, to see whether a service or an endpoint gets
any packets at all (run it twice and compare):
.PP
.RS
.nf
ipvsadm \-Ln \-\-stats \-\-exact
ipvsadm \-Ln \-\-rate
.fi
.RE
.PP
The connections the kernel is tracking, and which endpoint a given client
was sent to:
.PP
.RS
.nf
ipvsadm \-Lnc
ipvsadm \-Lnc | grep 10.244.1.7
.fi
.RE
.PP
Endpoints with weight 0: kube-proxy quiesces an endpoint that is going
away and removes it once its connections are gone, so one that stays at
weight 0 for long points at connections that do not end. Each such server
is printed after its service:
.PP
.RS
.nf
ipvsadm \-Ln | awk '/^[A-Z]/ { svc = $0 }
    $1 == "\->" && $4 == 0 { print svc; print }'
.fi
.RE
.PP
The timeouts kube-proxy set (its \fB\-\-ipvs\-tcp\-timeout\fR,
\fB\-\-ipvs\-tcpfin\-timeout\fR and \fB\-\-ipvs\-udp\-timeout\fR):
.PP
.RS
.nf
ipvsadm \-L \-\-timeout
.fi
.RE
.PP
A backup of the table as commands, and a check of what changed since:
.PP
.RS
.nf
ipvsadm \-Sn > /root/ipvs.rules
ipvsadm \-Sn | diff /root/ipvs.rules \-
.fi
.RE
.PP
Putting a backup back into an emptied table (kube-proxy will reconcile it
at its next resync):
.PP
.RS
.nf
ipvsadm \-C
ipvsadm \-R < /root/ipvs.rules
.fi
.RE
.SH SEE ALSO
\fBipvsadm\-save\fR(8), \fBipvsadm\-restore\fR(8), \fBmodprobe\fR(8),
\fBiptables\fR(8), \fBnft\fR(8)
"#;

/// ipvsadm-save(8).
pub fn man_save() -> String {
    let mut s = String::from(GENERATED);
    s.push_str(&th("ipvsadm-save"));
    s.push_str(MAN_SAVE);
    s
}

const MAN_SAVE: &str = r#".SH NAME
ipvsadm\-save \- print the IPVS table as ipvsadm commands
.SH SYNOPSIS
\fBipvsadm\-save\fR [\fB\-n\fR]
.SH DESCRIPTION
\fBipvsadm\-save\fR is a small wrapper that runs \fBipvsadm \-S\fR,
passing \fB\-n\fR on when given. It writes the virtual services and real
servers of the kernel's IPVS table to standard output as lines that
\fBipvsadm \-R\fR and \fBipvsadm\-restore\fR(8) read back: one \fB\-A\fR
line per service and one \fB\-a\fR line per real server. Connection
timeouts and sync daemons are not saved.
.SH OPTIONS
.TP
.B \-n
Write addresses and ports as numbers. Without it they are written as
names where they resolve, and a name may not resolve the same way when
the rules are read back; use \fB\-n\fR for backups.
.PP
Any other word that starts with a dash prints a short note on standard
error and exits with status 1.
.SH EXIT STATUS
That of \fBipvsadm \-S\fR (see \fBipvsadm\fR(8)), or 1 for an unknown
option. When the rules cannot be written (a full disk, an I/O error), it
says so on standard error (\fBipvsadm\-save: write error:\fR ...) and
exits with status 2; the script of ipvsadm 1.31 exited 0 with a truncated
file.
.SH EXAMPLES
.nf
ipvsadm\-save \-n > /root/ipvs.rules
.fi
.SH SEE ALSO
\fBipvsadm\fR(8), \fBipvsadm\-restore\fR(8)
"#;

/// ipvsadm-restore(8).
pub fn man_restore() -> String {
    let mut s = String::from(GENERATED);
    s.push_str(&th("ipvsadm-restore"));
    s.push_str(MAN_RESTORE);
    s
}

const MAN_RESTORE: &str = r#".SH NAME
ipvsadm\-restore \- replace the IPVS table with saved rules
.SH SYNOPSIS
\fBipvsadm\-restore\fR < \fIfile\fR
.SH DESCRIPTION
\fBipvsadm\-restore\fR reads rules, as \fBipvsadm\-save\fR(8) or
\fBipvsadm \-S\fR write them, from standard input. It drops every line
whose first character is \fB#\fR, then empties the table with
\fBipvsadm \-C\fR and hands the remaining lines to \fBipvsadm \-R\fR,
which runs each as one command.
.PP
The whole input is read before the table is touched. Then the table is
emptied and refilled, so it is briefly empty, and a line that fails
leaves it partly filled. \fB#\fR starts a comment only at the
very start of a line; \fBipvsadm \-R\fR on its own does not skip such
lines.
.PP
It takes no options.
.SH EXIT STATUS
That of \fBipvsadm \-R\fR (see \fBipvsadm\fR(8)).
.SH EXAMPLES
.nf
ipvsadm\-restore < /root/ipvs.rules
.fi
.SH SEE ALSO
\fBipvsadm\fR(8), \fBipvsadm\-save\fR(8)
"#;

/// Every generated file: its path from the repository's root and its
/// contents.
pub fn render_all() -> Vec<(&'static str, String)> {
    vec![
        ("man/ipvsadm.8", man_ipvsadm()),
        ("man/ipvsadm-save.8", man_save()),
        ("man/ipvsadm-restore.8", man_restore()),
        ("completions/ipvsadm.bash", completion(Shell::Bash)),
        ("completions/_ipvsadm", completion(Shell::Zsh)),
        ("completions/ipvsadm.fish", completion(Shell::Fish)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_command_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn every_flag_is_in_the_man_page_and_completions() {
        let man = man_ipvsadm();
        let all = render_all();
        for f in FLAGS {
            let long = format!(r"\fB\-\-{}\fR", f.long.replace('-', r"\-"));
            assert!(man.contains(&long), "--{} missing from ipvsadm.8", f.long);
            if let Some(c) = f.short {
                assert!(
                    man.contains(&format!(r"\fB\-{c}\fR")),
                    "-{c} not in ipvsadm.8"
                );
            }
            for (path, text) in &all[3..] {
                assert!(text.contains(f.long), "--{} missing from {path}", f.long);
            }
        }
    }

    #[test]
    fn scheduler_and_sched_flag_values_are_all_described() {
        for f in FLAGS {
            if matches!(f.tag, Tag::Scheduler | Tag::SchedFlags) {
                for v in f.values {
                    assert!(value_doc(f.tag, v).is_some(), "no text for {v}");
                }
            }
        }
    }

    #[test]
    fn possible_values_reach_the_completions() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let text = completion(shell);
            for v in ["wlc", "twos", "gue", "backup", "sip", "sh-port"] {
                assert!(text.contains(v), "{v} missing from the {shell} completion");
            }
        }
    }

    #[test]
    fn roff_text_escapes() {
        assert_eq!(roff_text("Same as -L."), r"Same as \-L.");
        assert_eq!(roff_text("comma-separated"), "comma-separated");
        assert_eq!(roff_text(r".a\b"), r"\&.a\eb");
    }
}

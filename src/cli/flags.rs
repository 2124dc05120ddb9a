//! The one table of flags: every option ipvsadm 1.31 accepts, in its
//! popt table's order, with how it takes an argument. Parsing, `-h`, the man
//! page and the completions are all driven from here.

/// How an option takes its value (popt's argument types as ipvsadm uses
/// them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// `POPT_ARG_NONE`.
    None,
    /// `POPT_ARG_STRING`: the rest of a bundle, `=value`, or the next word.
    Required,
    /// `POPT_ARG_STRING|POPT_ARGFLAG_OPTIONAL`: as `Required`, except that
    /// a following word starting with `-` (or no word at all) means none.
    Optional,
}

/// What an option means; one value per entry of ipvsadm's popt table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    AddService,
    EditService,
    DeleteService,
    Clear,
    List,
    ListLower,
    Zero,
    AddServer,
    EditServer,
    DeleteServer,
    Set,
    Help,
    Version,
    Restore,
    Save,
    StartDaemon,
    StopDaemon,
    TcpService,
    UdpService,
    SctpService,
    FwmarkService,
    Scheduler,
    Persistent,
    Netmask,
    RealServer,
    Masquerading,
    Ipip,
    Gatewaying,
    Weight,
    UThreshold,
    LThreshold,
    Numeric,
    Connection,
    McastInterface,
    SyncId,
    Timeout,
    Daemon,
    Stats,
    Rate,
    Thresholds,
    PersistentConn,
    NoSort,
    Sort,
    Exact,
    Ipv6,
    Ops,
    Pe,
    SchedFlags,
    McastGroup,
    McastPort,
    McastTtl,
    SyncMaxlen,
    TunInfo,
    TunType,
    TunPort,
    TunNocsum,
    TunCsum,
    TunRemcsum,
    // Options of ours, which ipvsadm 1.31 lacks.
    Json,
    Netns,
    Check,
    Validate,
    Reconcile,
    Metrics,
    K8s,
    K8sApi,
    Kubeconfig,
    Context,
    Node,
    Owner,
    Migrate,
    CleanupKubeProxy,
    Apply,
    Backup,
    IncludeLikely,
    NodeportRange,
    NodeportAddresses,
    Watch,
    Changes,
    Exporter,
    Listen,
    Grace,
    ReadInterval,
    TableMetrics,
    KubeProxyMetrics,
    TableNamespace,
    TableService,
    TableVirtualService,
}

/// One option of the table.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    pub arg: Arg,
    pub tag: Tag,
    /// Name of the value in help texts, when the option takes one.
    pub value_name: &'static str,
    /// One line for the man page and completions, in our own words.
    pub doc: &'static str,
    /// The words the value may be, for completions and the man page; empty
    /// when it is free-form. Parsing does not read this: the kernel (or
    /// ipvsadm's own checks) decide what is accepted.
    pub values: &'static [&'static str],
}

impl Flag {
    /// The same flag with these possible values.
    const fn with_values(self, values: &'static [&'static str]) -> Flag {
        Flag { values, ..self }
    }
}

/// Scheduler modules a kernel may offer (`-s`); the kernel decides which
/// exist.
pub const SCHEDULERS: &[&str] = &[
    "rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf", "mh", "twos",
];

/// Sync daemon states (`--start-daemon`, `--stop-daemon`).
pub const DAEMON_STATES: &[&str] = &["master", "backup"];

/// Persistence engines (`--pe`).
pub const PERSISTENCE_ENGINES: &[&str] = &["sip"];

/// Scheduler flags (`-b`, comma-separated).
pub const SCHED_FLAGS: &[&str] = &[
    "flag-1",
    "flag-2",
    "flag-3",
    "sh-fallback",
    "sh-port",
    "mh-fallback",
    "mh-port",
];

/// Tunnel types (`--tun-type`).
pub const TUNNEL_TYPES: &[&str] = &["ipip", "gue", "gre"];

const fn f(
    long: &'static str,
    short: Option<char>,
    arg: Arg,
    tag: Tag,
    value_name: &'static str,
    doc: &'static str,
) -> Flag {
    Flag {
        long,
        short,
        arg,
        tag,
        value_name,
        doc,
        values: &[],
    }
}

use Arg::{None as N, Optional as O, Required as R};

/// ipvsadm 1.31's options, in the order of its popt table (the order
/// matters only where two entries share a name: `-L` and `-l` both spell
/// `--list`, and the first wins for the long form).
pub static FLAGS: &[Flag] = &[
    f(
        "add-service",
        Some('A'),
        N,
        Tag::AddService,
        "",
        "Add a virtual service.",
    ),
    f(
        "edit-service",
        Some('E'),
        N,
        Tag::EditService,
        "",
        "Change a virtual service.",
    ),
    f(
        "delete-service",
        Some('D'),
        N,
        Tag::DeleteService,
        "",
        "Remove a virtual service and its real servers.",
    ),
    f(
        "clear",
        Some('C'),
        N,
        Tag::Clear,
        "",
        "Remove every virtual service.",
    ),
    f(
        "list",
        Some('L'),
        N,
        Tag::List,
        "",
        "List the table, or one service.",
    ),
    f("list", Some('l'), N, Tag::ListLower, "", "Same as -L."),
    f(
        "zero",
        Some('Z'),
        N,
        Tag::Zero,
        "",
        "Zero the counters of one service or of all.",
    ),
    f(
        "add-server",
        Some('a'),
        N,
        Tag::AddServer,
        "",
        "Add a real server to a virtual service.",
    ),
    f(
        "edit-server",
        Some('e'),
        N,
        Tag::EditServer,
        "",
        "Change a real server.",
    ),
    f(
        "delete-server",
        Some('d'),
        N,
        Tag::DeleteServer,
        "",
        "Remove a real server.",
    ),
    f(
        "set",
        None,
        N,
        Tag::Set,
        "",
        "Set the tcp, tcpfin and udp connection timeouts (three values follow).",
    ),
    f("help", Some('h'), N, Tag::Help, "", "Print the usage text."),
    f(
        "version",
        Some('v'),
        N,
        Tag::Version,
        "",
        "Print the version.",
    ),
    f(
        "restore",
        Some('R'),
        N,
        Tag::Restore,
        "",
        "Read commands from standard input, one per line.",
    ),
    f(
        "save",
        Some('S'),
        N,
        Tag::Save,
        "",
        "Print the table as commands that -R reads back.",
    ),
    f(
        "start-daemon",
        None,
        R,
        Tag::StartDaemon,
        "state",
        "Start the connection sync daemon (master or backup).",
    )
    .with_values(DAEMON_STATES),
    f(
        "stop-daemon",
        None,
        R,
        Tag::StopDaemon,
        "state",
        "Stop the connection sync daemon (master or backup).",
    )
    .with_values(DAEMON_STATES),
    f(
        "tcp-service",
        Some('t'),
        R,
        Tag::TcpService,
        "service-address",
        "A TCP virtual service, host[:port].",
    ),
    f(
        "udp-service",
        Some('u'),
        R,
        Tag::UdpService,
        "service-address",
        "A UDP virtual service, host[:port].",
    ),
    f(
        "sctp-service",
        None,
        R,
        Tag::SctpService,
        "service-address",
        "An SCTP virtual service, host[:port].",
    ),
    f(
        "fwmark-service",
        Some('f'),
        R,
        Tag::FwmarkService,
        "fwmark",
        "A virtual service for packets with this firewall mark.",
    ),
    f(
        "scheduler",
        Some('s'),
        R,
        Tag::Scheduler,
        "scheduler",
        "Scheduling algorithm (default wlc).",
    )
    .with_values(SCHEDULERS),
    f(
        "persistent",
        Some('p'),
        O,
        Tag::Persistent,
        "timeout",
        "Make the service persistent, for timeout seconds (default 360).",
    ),
    f(
        "netmask",
        Some('M'),
        R,
        Tag::Netmask,
        "netmask",
        "Persistence granularity: a mask, or a prefix length for IPv6.",
    ),
    f(
        "real-server",
        Some('r'),
        R,
        Tag::RealServer,
        "server-address",
        "The real server, host[:port].",
    ),
    f(
        "masquerading",
        Some('m'),
        N,
        Tag::Masquerading,
        "",
        "Forward by masquerading (NAT).",
    ),
    f(
        "ipip",
        Some('i'),
        N,
        Tag::Ipip,
        "",
        "Forward by tunnelling.",
    ),
    f(
        "gatewaying",
        Some('g'),
        N,
        Tag::Gatewaying,
        "",
        "Forward by direct routing (the default).",
    ),
    f(
        "weight",
        Some('w'),
        R,
        Tag::Weight,
        "weight",
        "Weight of the real server (default 1).",
    ),
    f(
        "u-threshold",
        Some('x'),
        R,
        Tag::UThreshold,
        "uthreshold",
        "Upper connection threshold of the real server.",
    ),
    f(
        "l-threshold",
        Some('y'),
        R,
        Tag::LThreshold,
        "lthreshold",
        "Lower connection threshold of the real server.",
    ),
    f(
        "numeric",
        Some('n'),
        N,
        Tag::Numeric,
        "",
        "Print addresses and ports as numbers.",
    ),
    f(
        "connection",
        Some('c'),
        N,
        Tag::Connection,
        "",
        "List the connection entries.",
    ),
    f(
        "mcast-interface",
        None,
        R,
        Tag::McastInterface,
        "interface",
        "Multicast interface of the sync daemon.",
    ),
    f(
        "syncid",
        None,
        R,
        Tag::SyncId,
        "sid",
        "Sync id of the daemon, 0 to 255.",
    ),
    f(
        "timeout",
        None,
        N,
        Tag::Timeout,
        "",
        "List the tcp, tcpfin and udp timeouts.",
    ),
    f("daemon", None, N, Tag::Daemon, "", "List the sync daemons."),
    f("stats", None, N, Tag::Stats, "", "List traffic counters."),
    f("rate", None, N, Tag::Rate, "", "List traffic rates."),
    f(
        "thresholds",
        None,
        N,
        Tag::Thresholds,
        "",
        "List connection thresholds.",
    ),
    f(
        "persistent-conn",
        None,
        N,
        Tag::PersistentConn,
        "",
        "List persistent connection counts.",
    ),
    f(
        "nosort",
        None,
        N,
        Tag::NoSort,
        "",
        "List in the kernel's order.",
    ),
    f(
        "sort",
        None,
        N,
        Tag::Sort,
        "",
        "Does nothing; kept for old scripts.",
    ),
    f(
        "exact",
        Some('X'),
        N,
        Tag::Exact,
        "",
        "Print exact numbers, unscaled.",
    ),
    f(
        "ipv6",
        Some('6'),
        N,
        Tag::Ipv6,
        "",
        "The fwmark service is IPv6 (after -f).",
    ),
    f(
        "ops",
        Some('o'),
        N,
        Tag::Ops,
        "",
        "One-packet scheduling (UDP and fwmark services).",
    ),
    f(
        "pe",
        None,
        R,
        Tag::Pe,
        "engine",
        "Persistence engine (sip).",
    )
    .with_values(PERSISTENCE_ENGINES),
    f(
        "sched-flags",
        Some('b'),
        R,
        Tag::SchedFlags,
        "flags",
        "Scheduler flags, comma-separated.",
    )
    .with_values(SCHED_FLAGS),
    f(
        "mcast-group",
        None,
        R,
        Tag::McastGroup,
        "address",
        "Multicast group of the sync daemon.",
    ),
    f(
        "mcast-port",
        None,
        R,
        Tag::McastPort,
        "port",
        "UDP port of the sync daemon.",
    ),
    f(
        "mcast-ttl",
        None,
        R,
        Tag::McastTtl,
        "ttl",
        "Multicast TTL of the sync daemon.",
    ),
    f(
        "sync-maxlen",
        None,
        R,
        Tag::SyncMaxlen,
        "length",
        "Largest sync message.",
    ),
    f(
        "tun-info",
        None,
        N,
        Tag::TunInfo,
        "",
        "List tunnel details.",
    ),
    f(
        "tun-type",
        None,
        R,
        Tag::TunType,
        "type",
        "Tunnel type: ipip, gue or gre.",
    )
    .with_values(TUNNEL_TYPES),
    f(
        "tun-port",
        None,
        R,
        Tag::TunPort,
        "port",
        "Destination port of a gue tunnel.",
    ),
    f(
        "tun-nocsum",
        None,
        N,
        Tag::TunNocsum,
        "",
        "Tunnel without checksums.",
    ),
    f(
        "tun-csum",
        None,
        N,
        Tag::TunCsum,
        "",
        "Tunnel with checksums.",
    ),
    f(
        "tun-remcsum",
        None,
        N,
        Tag::TunRemcsum,
        "",
        "Tunnel with remote checksum offload.",
    ),
    // Ours, after ipvsadm's: without them the tool is ipvsadm 1.31.
    f(
        "json",
        Some('j'),
        N,
        Tag::Json,
        "",
        "Print a listing or the node check as one JSON document.",
    ),
    f(
        "netns",
        None,
        R,
        Tag::Netns,
        "name|path",
        "Run the command in this network namespace.",
    ),
    f(
        "check",
        None,
        N,
        Tag::Check,
        "",
        "Check this node for kube-proxy's IPVS mode.",
    ),
    f(
        "validate",
        None,
        N,
        Tag::Validate,
        "",
        "With -R: check every line, change nothing.",
    ),
    f(
        "reconcile",
        None,
        N,
        Tag::Reconcile,
        "",
        "With -R: make the table equal to the input, without a flush.",
    ),
    f(
        "metrics",
        None,
        N,
        Tag::Metrics,
        "",
        "With -L: print the table in Prometheus's text format.",
    ),
    f(
        "k8s",
        None,
        R,
        Tag::K8s,
        "file",
        "With -L, -S, --check or --cleanup-kube-proxy: the cluster's objects as kubectl writes them (- for standard input; repeatable).",
    ),
    f(
        "k8s-api",
        None,
        N,
        Tag::K8sApi,
        "",
        "Instead of --k8s FILE: read the cluster's objects from the API server, found as kubectl finds it.",
    ),
    f(
        "kubeconfig",
        None,
        R,
        Tag::Kubeconfig,
        "file",
        "With --k8s-api: the kubeconfig file to use.",
    ),
    f(
        "context",
        None,
        R,
        Tag::Context,
        "name",
        "With --k8s-api: the kubeconfig context to use.",
    ),
    f(
        "node",
        None,
        R,
        Tag::Node,
        "name",
        "With --k8s: the Node this host is, instead of finding it by its addresses.",
    ),
    f(
        "owner",
        None,
        O,
        Tag::Owner,
        "kube-proxy|other",
        "With -L: say whose each virtual service is; =kube-proxy or =other narrows -L and -S to that part.",
    )
    .with_values(OWNERS),
    f(
        "migrate",
        None,
        R,
        Tag::Migrate,
        "nftables|iptables",
        "With --check: what switching kube-proxy to that mode would do to this node.",
    )
    .with_values(MIGRATION_TARGETS),
    f(
        "cleanup-kube-proxy",
        None,
        N,
        Tag::CleanupKubeProxy,
        "",
        "Remove kube-proxy's virtual services and kube-ipvs0 addresses only (a dry run without --apply).",
    ),
    f(
        "apply",
        None,
        N,
        Tag::Apply,
        "",
        "With --cleanup-kube-proxy: make the changes, after saving what they remove.",
    ),
    f(
        "backup",
        None,
        R,
        Tag::Backup,
        "file",
        "With --cleanup-kube-proxy --apply: where to save what is removed, as an -R file.",
    ),
    f(
        "include-likely",
        None,
        N,
        Tag::IncludeLikely,
        "",
        "With --cleanup-kube-proxy: remove the services only likely kube-proxy's too.",
    ),
    f(
        "nodeport-range",
        None,
        R,
        Tag::NodeportRange,
        "first-last",
        "The cluster's node port range (default 30000-32767), for telling kube-proxy's services.",
    ),
    f(
        "nodeport-addresses",
        None,
        R,
        Tag::NodeportAddresses,
        "cidr|primary|localhost|all,...",
        "With --k8s: the node addresses kube-proxy serves node ports on, as its flag of that name (default every address).",
    ),
    f(
        "watch",
        None,
        O,
        Tag::Watch,
        "seconds",
        "With -L: a live view of the table, listed again every so many seconds (default 2).",
    ),
    f(
        "changes",
        None,
        N,
        Tag::Changes,
        "",
        "With -L: print each change to the table as a line, as it happens.",
    ),
    f(
        "exporter",
        None,
        N,
        Tag::Exporter,
        "",
        "Serve this node's drift from the cluster to Prometheus, watching the API server (built with the kube feature).",
    ),
    f(
        "listen",
        None,
        R,
        Tag::Listen,
        "address:port",
        "With --exporter: where to serve /metrics, /check, /healthz and /readyz (default 127.0.0.1:9893).",
    ),
    f(
        "grace",
        None,
        R,
        Tag::Grace,
        "seconds",
        "With --exporter: how long a finding must hold before it counts as drift (default 90).",
    ),
    f(
        "read-interval",
        None,
        R,
        Tag::ReadInterval,
        "seconds",
        "With --exporter: the table is read at most once in this time, whatever the scrapes (default 5).",
    ),
    f(
        "table-metrics",
        None,
        N,
        Tag::TableMetrics,
        "",
        "With --exporter: add the families of each service and real server to /metrics, as -L --metrics names them but without the rate gauges.",
    ),
    f(
        "table-namespace",
        None,
        R,
        Tag::TableNamespace,
        "namespace,...",
        "With --exporter: the table's families only of the virtual services of Services in these namespaces (implies --table-metrics; repeatable).",
    ),
    f(
        "table-service",
        None,
        R,
        Tag::TableService,
        "namespace/name,...",
        "With --exporter: the table's families only of these Services' virtual services (implies --table-metrics; repeatable).",
    ),
    f(
        "table-virtual-service",
        None,
        R,
        Tag::TableVirtualService,
        "virtual-service,...",
        "With --exporter: the table's families only of these virtual services, as the check names them: 'TCP 10.96.0.1:443', 'FWM 7' (implies --table-metrics; repeatable).",
    ),
    f(
        "kube-proxy-metrics",
        None,
        R,
        Tag::KubeProxyMetrics,
        "address:port",
        "With --check --k8s or --exporter: kube-proxy's metrics port, read for its mode and last sync (default 127.0.0.1:10249).",
    ),
];

/// `--owner`'s values.
pub const OWNERS: &[&str] = &["kube-proxy", "other"];
/// `--migrate`'s values.
pub const MIGRATION_TARGETS: &[&str] = &["nftables", "iptables"];

/// The first entry of `FLAGS` that is ours rather than ipvsadm's.
pub fn first_of_ours() -> usize {
    FLAGS
        .iter()
        .position(|f| f.tag == Tag::Json)
        .unwrap_or(FLAGS.len())
}

/// Find a long option by its exact name (popt takes no abbreviations).
pub fn by_long(name: &str) -> Option<&'static Flag> {
    FLAGS.iter().find(|f| f.long == name)
}

/// Find a short option.
pub fn by_short(c: char) -> Option<&'static Flag> {
    // Index of each ASCII short option in FLAGS (0: none), made once: popt
    // looks one up for every option of every `-R` line.
    static INDEX: std::sync::OnceLock<[u8; 128]> = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut index = [0u8; 128];
        for (i, f) in FLAGS.iter().enumerate().rev() {
            if let Some(s) = f.short.filter(char::is_ascii) {
                index[s as usize] = u8::try_from(i + 1).expect("fewer than 255 flags");
            }
        }
        index
    });
    match index.get(c as usize) {
        Some(0) => None,
        Some(&i) => Some(&FLAGS[usize::from(i) - 1]),
        None => FLAGS.iter().find(|f| f.short == Some(c)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_index_finds_what_the_table_says() {
        for c in (0u8..=255).map(char::from).chain(['é', '€']) {
            let want = FLAGS.iter().find(|f| f.short == Some(c));
            assert_eq!(by_short(c).map(|f| f.long), want.map(|f| f.long), "{c:?}");
        }
    }
}

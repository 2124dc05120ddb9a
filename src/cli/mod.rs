//! The command line: the flag table, a popt-compatible reader, ipvsadm's
//! option matrix and checks, and the typed `Command` they produce. Nothing
//! here talks to the kernel.

pub mod addr;
pub mod docs;
pub mod flags;
pub mod matrix;
pub mod nodeport;
pub mod parse;
pub mod popt;
pub mod quick;
pub mod restore_line;
pub mod stream;
pub mod usage;

use std::net::IpAddr;

use crate::ipvs::{Daemon, DestConfig, ServiceConfig, ServiceId, Timeouts};
pub use nodeport::NodePortAddresses;

/// The list options (`-n`, `-S`, `--stats`, ...) are the formatter's own
/// type; the parser builds them, and `Command` carries them.
pub use crate::format::Format;

/// How `-R` treats its input (the modes besides ipvsadm's are ours).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RestoreMode {
    /// `--validate`: read every line and report the bad ones; with
    /// `--reconcile`, also show what would change. The kernel is left alone.
    pub validate: bool,
    /// `--reconcile`: the input is a saved table (`-S` output); change the
    /// live table to match it without a flush.
    pub reconcile: bool,
}

/// What `-L` lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListTarget {
    All,
    Service(ServiceId),
    Connections,
    Timeout,
    Daemon,
}

/// A virtual service as given on the command line: its identity and the
/// configuration that goes with it in a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SvcArg {
    pub id: ServiceId,
    pub config: ServiceConfig,
}

/// A real server as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestArg {
    pub addr: IpAddr,
    pub port: u16,
    pub config: DestConfig,
}

/// One validated command, ready to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    Version,
    AddService(SvcArg),
    EditService(SvcArg),
    DelService(SvcArg),
    Flush,
    List {
        target: ListTarget,
        format: Format,
    },
    Save {
        format: Format,
    },
    Restore(RestoreMode),
    AddDest(SvcArg, DestArg),
    EditDest(SvcArg, DestArg),
    DelDest(SvcArg, DestArg),
    /// Zero one service's counters, or all with `None`.
    Zero(Option<SvcArg>),
    SetTimeout(Timeouts),
    StartDaemon(Daemon),
    StopDaemon(Daemon),
    /// Ours: `--check`, the node check for kube-proxy's IPVS mode.
    Check {
        format: Format,
    },
    /// Ours: `--cleanup-kube-proxy`, its options in `KubeArgs`.
    CleanupKubeProxy,
    /// Ours: `--exporter`, the cluster's options in `KubeArgs`.
    Exporter(ExporterArgs),
}

/// Ours: `--exporter`'s options (issue 27).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExporterArgs {
    /// `--listen`: where the HTTP server listens.
    pub listen: std::net::SocketAddr,
    /// `--grace`: how long a finding holds before it is drift.
    pub grace: std::time::Duration,
    /// `--read-interval`: the least time between two reads of the table.
    pub read_interval: std::time::Duration,
    /// `--table-metrics`: `-L --metrics`'s families in `/metrics` too,
    /// without the rate gauges.
    pub table_metrics: bool,
    /// `--table-namespace`, `--table-service`, `--table-virtual-service`:
    /// whose families `--table-metrics` writes.
    pub table_select: crate::format::metrics::Selection,
}

/// The exporter's port: one of the free range of Prometheus's list of
/// default port allocations (see README.md, "Every node at once").
pub const EXPORTER_PORT: u16 = 9893;

impl Default for ExporterArgs {
    /// Bound to loopback: the metrics tell each Service's topology, so a
    /// wider address is a choice the person makes (behind kube-rbac-proxy,
    /// as kube-prometheus runs node-exporter).
    fn default() -> Self {
        ExporterArgs {
            listen: std::net::SocketAddr::from(([127, 0, 0, 1], EXPORTER_PORT)),
            grace: std::time::Duration::from_secs(90),
            read_interval: std::time::Duration::from_secs(5),
            table_metrics: false,
            table_select: Default::default(),
        }
    }
}

/// A command and where it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    pub command: Command,
    /// `--netns`: a namespace name (under /run/netns) or a path.
    pub netns: Option<String>,
    /// `--k8s` and `--node`: the cluster to hold the table against.
    pub kube: Option<KubeArgs>,
}

/// Ours: the options about kube-proxy's part of the node. `--k8s FILE`
/// (repeatable) and `--node NAME`: where the cluster's objects are read
/// from, and which Node this host is; `--owner`, `--migrate`,
/// `--nodeport-range` and the options of `--cleanup-kube-proxy`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KubeArgs {
    /// The files in the order given; `-` is standard input.
    pub files: Vec<String>,
    /// `--k8s-api`: the objects from the API server instead of files.
    pub api: Option<ApiSource>,
    pub node: Option<String>,
    /// `--owner`: `Some(None)` shows whose each service is,
    /// `Some(Some(w))` narrows to `w`'s too.
    pub owner: Option<Option<OwnerFilter>>,
    pub migrate: Option<MigrationTarget>,
    pub apply: bool,
    pub backup: Option<String>,
    pub include_likely: bool,
    /// `--nodeport-range`, first and last port.
    pub nodeport_range: Option<(u16, u16)>,
    /// `--nodeport-addresses`: the node addresses node ports are on.
    pub nodeport_addresses: NodePortAddresses,
    /// `--kube-proxy-metrics`: where kube-proxy's metrics port answers.
    pub kube_proxy_metrics: std::net::SocketAddr,
}

/// kube-proxy's `--metrics-bind-address` by default.
pub const KUBE_PROXY_METRICS: ([u8; 4], u16) = ([127, 0, 0, 1], 10249);

impl Default for KubeArgs {
    fn default() -> Self {
        KubeArgs {
            files: Vec::new(),
            api: None,
            node: None,
            owner: None,
            migrate: None,
            apply: false,
            backup: None,
            include_likely: false,
            nodeport_range: None,
            nodeport_addresses: NodePortAddresses::default(),
            kube_proxy_metrics: std::net::SocketAddr::from(KUBE_PROXY_METRICS),
        }
    }
}

impl KubeArgs {
    /// Whether the cluster's objects are to be read (`--k8s` or
    /// `--k8s-api`).
    pub fn has_cluster(&self) -> bool {
        !self.files.is_empty() || self.api.is_some()
    }
}

/// Ours: `--k8s-api` with `--kubeconfig FILE` and `--context NAME`, as
/// kubectl's options of those names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiSource {
    pub kubeconfig: Option<String>,
    pub context: Option<String>,
}

/// `--owner=kube-proxy` or `--owner=other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerFilter {
    KubeProxy,
    Other,
}

/// `--migrate=nftables` or `--migrate=iptables`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationTarget {
    Nftables,
    Iptables,
}

/// Why a command line was refused, and how ipvsadm reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    /// ipvsadm's `fail(2, ...)`: the message, exit status 2.
    Fail(String),
    /// `tryhelp_exit`: "Try `PROG -h' ..." and exit status 255.
    TryHelp,
    /// A popt error after the command: "WORD: TEXT", status 255.
    Popt { bad: String, text: &'static str },
    /// Where ipvsadm itself crashes (SIGSEGV in `parse_sched_flags` on
    /// `-b ,`): nothing on standard error and the status a shell reports
    /// for that signal, 139.
    Crash,
}

impl CliError {
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Fail(_) => 2,
            CliError::TryHelp | CliError::Popt { .. } => 255,
            CliError::Crash => 128 + libc::SIGSEGV,
        }
    }

    /// The text on standard error, newline included.
    pub fn message(&self, program: &str) -> String {
        match self {
            CliError::Fail(m) => format!("{m}\n"),
            CliError::TryHelp => {
                format!("Try `{program} -h' or '{program} --help' for more information.\n")
            }
            CliError::Popt { bad, text } => format!("{bad}: {text}\n"),
            CliError::Crash => String::new(),
        }
    }
}

//! kube-proxy's configuration against the node (issue 27, item 6): the
//! `config.conf` of the `kube-proxy` ConfigMap in `kube-system` (a
//! `KubeProxyConfiguration`, YAML as kubeadm writes it), read into the
//! fields kube-proxy's IPVS mode acts on, and the lines of the check's
//! report where this node disagrees with them. Pure: the objects, the
//! sysctls, the timeouts and the table are read by the caller.
//!
//! What kube-proxy does with each field, as its IPVS proxier does it
//! (pkg/proxy/ipvs, `NewProxier` and `syncService`):
//! - `mode`: the proxier that runs; empty is `iptables` on Linux.
//! - `ipvs.scheduler`: every virtual service it makes, and it changes one
//!   whose scheduler differs; empty is `rr`.
//! - `ipvs.tcpTimeout`, `tcpFinTimeout`, `udpTimeout`: set at start as
//!   `ipvsadm --set` would, when one of them is not zero; a zero one is
//!   left as it was.
//! - `ipvs.strictARP`: `net.ipv4.conf.all.arp_ignore` made 1 and
//!   `arp_announce` 2 at start; off, they are not touched.
//! - `nodePortAddresses`: read by the expectation (`exec`'s snapshot).

use serde::Deserialize;

use crate::check_report::{Coded, Status};
use crate::cli::nodeport::NodePortAddresses;

use super::input::ProxyConfigMap;
use super::report::CHECK;

/// The ConfigMap's key kubeadm writes the configuration under.
pub const KEY: &str = "config.conf";

/// The configuration was read and the node agrees (information).
pub const CONFIG: &str = "KUBE_PROXY_CONFIG";
/// The ConfigMap could not be had from the API server (information).
pub const CONFIG_UNAVAILABLE: &str = "KUBE_PROXY_CONFIG_UNAVAILABLE";
/// The ConfigMap has no readable `KubeProxyConfiguration`.
pub const CONFIG_INVALID: &str = "KUBE_PROXY_CONFIG_INVALID";
/// The mode is not `ipvs`, yet kube-proxy's virtual services are here.
pub const CONFIG_MODE: &str = "KUBE_PROXY_CONFIG_MODE";
/// kube-proxy's virtual services use another scheduler.
pub const CONFIG_SCHEDULER: &str = "KUBE_PROXY_CONFIG_SCHEDULER";
/// The kernel's IPVS timeouts are not the configured ones.
pub const CONFIG_TIMEOUT: &str = "KUBE_PROXY_CONFIG_TIMEOUT";
/// `strictARP` is on, the ARP sysctls are not what it sets.
pub const CONFIG_STRICT_ARP: &str = "KUBE_PROXY_CONFIG_STRICT_ARP";

/// Every code that needs attention, in the order the metrics give them.
pub const ATTENTION: [&str; 5] = [
    CONFIG_INVALID,
    CONFIG_MODE,
    CONFIG_SCHEDULER,
    CONFIG_TIMEOUT,
    CONFIG_STRICT_ARP,
];

/// The fields of a `KubeProxyConfiguration` the node is held against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyConfig {
    /// As written; empty is kube-proxy's default (`iptables` on Linux).
    pub mode: String,
    /// The scheduler kube-proxy sets (`rr` when the field is empty).
    pub scheduler: String,
    pub strict_arp: bool,
    /// `tcpTimeout`, `tcpFinTimeout`, `udpTimeout` in whole seconds, as
    /// kube-proxy hands them to the kernel; 0 leaves the kernel's.
    pub timeouts: [u64; 3],
    /// `nodePortAddresses`, as `--nodeport-addresses` takes it.
    pub node_ports: NodePortAddresses,
}

impl ProxyConfig {
    /// Whether kube-proxy runs its IPVS proxier.
    pub fn ipvs(&self) -> bool {
        self.mode == "ipvs"
    }

    /// The mode as kube-proxy takes it.
    fn mode_name(&self) -> &str {
        if self.mode.is_empty() {
            "iptables (the default)"
        } else {
            &self.mode
        }
    }
}

/// The document as serde reads it: every field optional, others ignored.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Raw {
    kind: Option<String>,
    mode: Option<String>,
    ipvs: Option<RawIpvs>,
    node_port_addresses: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct RawIpvs {
    scheduler: Option<String>,
    #[serde(rename = "strictARP")]
    strict_arp: Option<bool>,
    tcp_timeout: Option<String>,
    tcp_fin_timeout: Option<String>,
    udp_timeout: Option<String>,
}

/// The ConfigMap's configuration, or why it is none.
pub fn of_map(map: &ProxyConfigMap) -> Result<ProxyConfig, String> {
    match map {
        ProxyConfigMap::Unavailable(why) => Err(why.clone()),
        ProxyConfigMap::Found(cm) => {
            let text = cm
                .data
                .as_ref()
                .and_then(|d| d.get(KEY))
                .ok_or_else(|| format!("the ConfigMap has no {KEY}"))?;
            parse(text)
        }
    }
}

/// Read `config.conf`'s text (YAML, JSON being YAML too).
pub fn parse(text: &str) -> Result<ProxyConfig, String> {
    let raw: Raw = serde_saphyr::from_str(text).map_err(|e| {
        let e = e.to_string();
        format!("{KEY}: {}", e.lines().next().unwrap_or(""))
    })?;
    if let Some(kind) = raw
        .kind
        .as_deref()
        .filter(|k| *k != "KubeProxyConfiguration")
    {
        return Err(format!("{KEY}: a {kind}, not a KubeProxyConfiguration"));
    }
    let ipvs = raw.ipvs.unwrap_or_default();
    let secs = |field: &str, v: &Option<String>| match v.as_deref() {
        None | Some("") => Ok(0),
        Some(d) => go_duration_secs(d).map_err(|e| format!("{KEY}: ipvs.{field}: {e}")),
    };
    let scheduler = ipvs.scheduler.unwrap_or_default();
    Ok(ProxyConfig {
        mode: raw.mode.unwrap_or_default(),
        scheduler: if scheduler.is_empty() {
            "rr".to_string()
        } else {
            scheduler
        },
        strict_arp: ipvs.strict_arp.unwrap_or(false),
        timeouts: [
            secs("tcpTimeout", &ipvs.tcp_timeout)?,
            secs("tcpFinTimeout", &ipvs.tcp_fin_timeout)?,
            secs("udpTimeout", &ipvs.udp_timeout)?,
        ],
        node_ports: NodePortAddresses::parse(&raw.node_port_addresses.unwrap_or_default())
            .map_err(|e| {
                format!(
                    "{KEY}: {}",
                    e.replace("--nodeport-addresses", "nodePortAddresses")
                )
            })?,
    })
}

/// A duration as Go's `time.ParseDuration` reads it (`15m0s`, `900s`,
/// `1h2m3.5s`, `0`), in whole seconds rounded down, as kube-proxy gives
/// it to the kernel; negative ones are refused (the kernel's are
/// unsigned).
pub fn go_duration_secs(text: &str) -> Result<u64, String> {
    let bad = || format!("invalid duration \"{text}\"");
    let s = text.strip_prefix('+').unwrap_or(text);
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() || s.starts_with('-') {
        return Err(bad());
    }
    let mut nanos: u128 = 0;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        let (number, tail) = rest.split_at(digits);
        let unit_len = tail.find(|c: char| c.is_ascii_digit() || c == '.');
        let (unit, next) = tail.split_at(unit_len.unwrap_or(tail.len()));
        let scale: u128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return Err(bad()),
        };
        let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
        if (whole.is_empty() && frac.is_empty()) || frac.contains('.') {
            return Err(bad());
        }
        let whole: u128 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| bad())?
        };
        let mut part = whole.checked_mul(scale).ok_or_else(bad)?;
        // Go keeps a fraction's digits as far as they change nanoseconds.
        let mut unit_part = scale;
        for d in frac.bytes().take(30) {
            unit_part /= 10;
            part += u128::from(d - b'0') * unit_part;
        }
        nanos = nanos.checked_add(part).ok_or_else(bad)?;
        rest = next;
    }
    // Go's durations end at about 292 years.
    if nanos > i64::MAX as u128 {
        return Err(bad());
    }
    Ok((nanos / 1_000_000_000) as u64)
}

/// What of the node the configuration is held against.
#[derive(Debug, Clone, Default)]
pub struct NodeView {
    /// kube-proxy's virtual services in the table (those the cluster
    /// explains): each as `-Ln` names it, with its scheduler.
    pub services: Vec<(String, String)>,
    /// The kernel's tcp, tcpfin and udp timeouts; `None` when unread.
    pub timeouts: Option<[u64; 3]>,
    /// `net.ipv4.conf.all.arp_ignore` and `arp_announce`, when read.
    pub arp: Option<(i64, i64)>,
}

/// The check's lines: one of attention for each disagreement, else one
/// of information saying what was held against what.
pub fn coded(config: &Result<ProxyConfig, String>, node: &NodeView) -> Vec<Coded> {
    let c = match config {
        Ok(c) => c,
        Err(why) => return vec![unreadable(why)],
    };
    let mut out = Vec::new();
    if !c.ipvs() {
        if !node.services.is_empty() {
            out.push(line(
                CONFIG_MODE,
                "mode",
                format!(
                    "kube-proxy's configuration says mode {}, yet {} of its virtual services \
                     are here: a kube-proxy started now leaves them as they are \
                     (see --check --migrate)",
                    c.mode_name(),
                    node.services.len()
                ),
            ));
        }
        return with_summary(out, c);
    }
    out.extend(schedulers(c, node));
    out.extend(timeouts(c, node));
    out.extend(strict_arp(c, node));
    with_summary(out, c)
}

fn unreadable(why: &str) -> Coded {
    if why.starts_with(KEY) || why.starts_with("the ConfigMap") {
        return line(CONFIG_INVALID, "kube-proxy's ConfigMap", why.to_string());
    }
    Coded {
        status: Status::Info,
        check: CHECK,
        code: Some(CONFIG_UNAVAILABLE),
        subject: "kube-proxy's ConfigMap".to_string(),
        detail: format!("{why}: kube-proxy's configuration was not checked"),
    }
}

/// A line of attention.
fn line(code: &'static str, subject: &str, detail: String) -> Coded {
    Coded {
        status: Status::Attention,
        check: CHECK,
        code: Some(code),
        subject: subject.to_string(),
        detail,
    }
}

/// The information line when nothing disagrees.
fn with_summary(out: Vec<Coded>, c: &ProxyConfig) -> Vec<Coded> {
    if !out.is_empty() {
        return out;
    }
    let mut what = format!("mode {}", c.mode_name());
    if c.ipvs() {
        what.push_str(&format!(
            ", scheduler {}, strictARP {}",
            c.scheduler,
            if c.strict_arp { "on" } else { "off" }
        ));
    }
    vec![Coded {
        status: Status::Info,
        check: CHECK,
        code: Some(CONFIG),
        subject: "kube-proxy's ConfigMap".to_string(),
        detail: format!("{what}: the node agrees"),
    }]
}

/// One line per scheduler found in place of the configured one.
fn schedulers(c: &ProxyConfig, node: &NodeView) -> Vec<Coded> {
    let mut by: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for (id, s) in &node.services {
        if *s != c.scheduler {
            by.entry(s.as_str()).or_default().push(id.as_str());
        }
    }
    by.into_iter()
        .map(|(found, ids)| {
            line(
                CONFIG_SCHEDULER,
                "scheduler",
                format!(
                    "{} of kube-proxy's {} virtual services use {found}, its configuration \
                     says {}: {}",
                    ids.len(),
                    node.services.len(),
                    c.scheduler,
                    sample(&ids)
                ),
            )
        })
        .collect()
}

/// The first few of a list, and how many more.
fn sample(ids: &[&str]) -> String {
    const SHOWN: usize = 5;
    let mut s = ids[..ids.len().min(SHOWN)].join(", ");
    if ids.len() > SHOWN {
        s.push_str(&format!(" and {} more", ids.len() - SHOWN));
    }
    s
}

fn timeouts(c: &ProxyConfig, node: &NodeView) -> Option<Coded> {
    let here = node.timeouts?;
    const NAMES: [(&str, &str); 3] = [
        ("tcpTimeout", "tcp"),
        ("tcpFinTimeout", "tcpfin"),
        ("udpTimeout", "udp"),
    ];
    let differ: Vec<String> = (0..3)
        .filter(|&i| c.timeouts[i] != 0 && c.timeouts[i] != here[i])
        .map(|i| {
            format!(
                "{} {} s, the kernel's {} {} s",
                NAMES[i].0, c.timeouts[i], NAMES[i].1, here[i]
            )
        })
        .collect();
    (!differ.is_empty()).then(|| {
        line(
            CONFIG_TIMEOUT,
            "timeouts",
            format!(
                "{} (kube-proxy sets them at its start; ipvsadm -L --timeout)",
                differ.join("; ")
            ),
        )
    })
}

fn strict_arp(c: &ProxyConfig, node: &NodeView) -> Option<Coded> {
    let (ignore, announce) = node.arp?;
    (c.strict_arp && (ignore != 1 || announce != 2)).then(|| {
        line(
            CONFIG_STRICT_ARP,
            "strictARP",
            format!(
                "strictARP is on, so kube-proxy sets arp_ignore 1 and arp_announce 2; \
                 here net.ipv4.conf.all.arp_ignore is {ignore} and arp_announce {announce}"
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `config.conf` as kubeadm writes it (its keys, shortened).
    const KUBEADM: &str = "apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
clientConnection:
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
ipvs:
  excludeCIDRs: null
  minSyncPeriod: 0s
  scheduler: \"\"
  strictARP: false
  syncPeriod: 0s
  tcpFinTimeout: 0s
  tcpTimeout: 0s
  udpTimeout: 0s
kind: KubeProxyConfiguration
mode: ipvs
nodePortAddresses: null
";

    fn node(services: &[(&str, &str)]) -> NodeView {
        NodeView {
            services: services
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            timeouts: Some([900, 120, 300]),
            arp: Some((0, 0)),
        }
    }

    fn codes(lines: &[Coded]) -> Vec<&'static str> {
        lines.iter().filter_map(|l| l.code).collect()
    }

    #[test]
    fn kubeadms_defaults_read() {
        let c = parse(KUBEADM).unwrap();
        assert!(c.ipvs());
        assert_eq!(c.scheduler, "rr", "an empty scheduler is rr");
        assert!(!c.strict_arp);
        assert_eq!(c.timeouts, [0, 0, 0]);
        assert_eq!(c.node_ports, NodePortAddresses::default());
        let lines = coded(&Ok(c), &node(&[("TCP 10.96.0.1:443", "rr")]));
        assert_eq!(codes(&lines), [CONFIG]);
        assert_eq!(lines[0].status, Status::Info);
        assert_eq!(
            lines[0].detail,
            "mode ipvs, scheduler rr, strictARP off: the node agrees"
        );
    }

    #[test]
    fn each_disagreement_has_its_code() {
        let text = KUBEADM
            .replace("scheduler: \"\"", "scheduler: lc")
            .replace("strictARP: false", "strictARP: true")
            .replace("tcpTimeout: 0s", "tcpTimeout: 15m0s")
            .replace("udpTimeout: 0s", "udpTimeout: 5m");
        let c = parse(&text).unwrap();
        assert_eq!(c.timeouts, [900, 0, 300]);
        let n = node(&[
            ("TCP 10.96.0.1:443", "rr"),
            ("TCP 10.96.0.10:53", "lc"),
            ("UDP 10.96.0.10:53", "rr"),
        ]);
        let lines = coded(&Ok(c.clone()), &n);
        assert_eq!(codes(&lines), [CONFIG_SCHEDULER, CONFIG_STRICT_ARP]);
        assert!(lines.iter().all(|l| l.status == Status::Attention));
        assert_eq!(
            lines[0].detail,
            "2 of kube-proxy's 3 virtual services use rr, its configuration says lc: \
             TCP 10.96.0.1:443, UDP 10.96.0.10:53"
        );
        let t = NodeView {
            timeouts: Some([600, 120, 300]),
            arp: Some((1, 2)),
            ..node(&[])
        };
        let lines = coded(&Ok(c), &t);
        assert_eq!(codes(&lines), [CONFIG_TIMEOUT]);
        assert!(
            lines[0]
                .detail
                .starts_with("tcpTimeout 900 s, the kernel's tcp 600 s ("),
            "{}",
            lines[0].detail
        );
    }

    #[test]
    fn another_mode_matters_only_with_kube_proxys_services_here() {
        let c = parse(&KUBEADM.replace("mode: ipvs", "mode: \"\"")).unwrap();
        assert_eq!(codes(&coded(&Ok(c.clone()), &node(&[]))), [CONFIG]);
        let lines = coded(&Ok(c), &node(&[("TCP 10.96.0.1:443", "wrr")]));
        assert_eq!(codes(&lines), [CONFIG_MODE], "no scheduler line besides");
        assert!(lines[0].detail.contains("mode iptables (the default)"));
    }

    #[test]
    fn unreadable_configurations_and_absent_maps() {
        for (text, want) in [
            ("mode: [", "config.conf: "),
            (
                "kind: KubeletConfiguration\n",
                "a KubeletConfiguration, not",
            ),
            ("ipvs:\n  tcpTimeout: 10 minutes\n", "invalid duration"),
            ("nodePortAddresses: [10.0.0.0/33]\n", "in nodePortAddresses"),
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.contains(want), "{text:?}: {e}");
            let lines = coded(&Err(e), &node(&[]));
            assert_eq!(codes(&lines), [CONFIG_INVALID]);
        }
        let gone = of_map(&ProxyConfigMap::Unavailable(
            "the API server has no x".into(),
        ));
        let lines = coded(&gone, &node(&[]));
        assert_eq!(
            (codes(&lines), lines[0].status),
            (vec![CONFIG_UNAVAILABLE], Status::Info)
        );
        let empty = of_map(&ProxyConfigMap::Found(Default::default()));
        assert_eq!(codes(&coded(&empty, &node(&[]))), [CONFIG_INVALID]);
    }

    #[test]
    fn go_durations() {
        for (text, secs) in [
            ("0", 0),
            ("0s", 0),
            ("900s", 900),
            ("15m0s", 900),
            ("1h2m3.9s", 3723),
            ("1.5h", 5400),
            ("2500ms", 2),
            ("+5s", 5),
            (".5m", 30),
        ] {
            assert_eq!(go_duration_secs(text), Ok(secs), "{text}");
        }
        for bad in ["", "5", "-5s", "5x", "1..5s", ".s", "s", "99999999999999h"] {
            assert!(go_duration_secs(bad).is_err(), "{bad}");
        }
    }
}

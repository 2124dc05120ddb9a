//! The live table judged against the expected one: findings with stable
//! codes, each naming the Service and the rule (`TCP 10.96.0.10:53`,
//! `-> 10.244.1.5:53`). Pure: the live table, the kube-ipvs0 addresses
//! and the host's addresses come in as data, so every finding is
//! unit-tested without a kernel.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::net::{IpAddr, SocketAddr};

use super::expect::{AddressKind, EndpointRef, ExpectedServer, ExpectedService, ServiceRef};
use super::owner::NODE_PORTS;
use crate::ipvs::{svc_flags, Dest, Service, ServiceId};

/// What a finding is. The codes are stable: scripts match on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// A Service port that should have a virtual service here has none.
    MissingService,
    /// A virtual service on a kube-ipvs0 address, or a node-port-shaped
    /// one on a host address, that no Service explains.
    OrphanService,
    /// A kube-ipvs0 address that no virtual service uses.
    OrphanAddress,
    /// An endpoint in use that is absent from its virtual service.
    MissingServer,
    /// A real server at weight > 0 that is no endpoint in use.
    StaleServer,
    /// An endpoint in use at weight 0.
    ZeroWeightReady,
    /// Persistence and session affinity disagree, or the timeout differs.
    AffinityMismatch,
    /// Info: a weight-0 real server of a terminating or vanished endpoint.
    Draining,
    /// Info: no real server, and a Local traffic policy explains it.
    ExpectedEmpty,
}

impl Code {
    /// Every code, in the order above: the exporter gives each a series,
    /// zero or not, so that a query never meets an absent one.
    pub const ALL: [Code; 9] = [
        Code::MissingService,
        Code::OrphanService,
        Code::OrphanAddress,
        Code::MissingServer,
        Code::StaleServer,
        Code::ZeroWeightReady,
        Code::AffinityMismatch,
        Code::Draining,
        Code::ExpectedEmpty,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::MissingService => "MISSING_SERVICE",
            Code::OrphanService => "ORPHAN_SERVICE",
            Code::OrphanAddress => "ORPHAN_ADDRESS",
            Code::MissingServer => "MISSING_SERVER",
            Code::StaleServer => "STALE_SERVER",
            Code::ZeroWeightReady => "ZERO_WEIGHT_READY",
            Code::AffinityMismatch => "AFFINITY_MISMATCH",
            Code::Draining => "DRAINING",
            Code::ExpectedEmpty => "EXPECTED_EMPTY",
        }
    }

    /// Whether it makes `--check` exit 1; the others are information.
    pub fn needs_attention(self) -> bool {
        !matches!(self, Code::Draining | Code::ExpectedEmpty)
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: Code,
    /// The virtual service, as `TCP 10.96.0.10:53`.
    pub rule: String,
    /// The real server, as `-> 10.244.1.5:53`, when the finding is one.
    pub server: Option<String>,
    /// The Service port it belongs to, when one explains the rule.
    pub service: Option<ServiceRef>,
    pub detail: String,
}

/// The node as it is.
#[derive(Debug, Clone, Copy)]
pub struct Live<'a> {
    pub services: &'a [(Service, Vec<Dest>)],
    /// The addresses bound to kube-ipvs0.
    pub kube_ipvs0: &'a [IpAddr],
    /// Every address of the host (node ports may be on any of them).
    pub host: &'a [IpAddr],
}

/// The rule's text: protocol, address and port as `-Ln` shows them
/// (`TCP 10.96.0.1:443`, `FWM 7`, `FWM 7 IPv6`).
pub struct Rule<'a>(pub &'a ServiceId);

impl fmt::Display for Rule<'_> {
    /// As the check's other lines name a service (`format::service_text`), so
    /// that an IPv4 and an IPv6 firewall mark of one number are told apart.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::format::service_text(self.0))
    }
}

fn server_text(addr: IpAddr, port: u16) -> String {
    format!("-> {}", SocketAddr::new(addr, port))
}

fn endpoint_text(e: &EndpointRef) -> String {
    let state = super::view::state_text(e);
    match &e.pod {
        Some((ns, name)) => format!("pod {ns}/{name} ({state})"),
        None => format!("endpoint ({state})"),
    }
}

/// Judge the live table against the expected one: the expected virtual
/// services in their order, then what nothing explains.
pub fn compare(expected: &[ExpectedService], live: &Live) -> Vec<Finding> {
    let mut out = Vec::new();
    // Maps, so that tens of thousands of services cost a lookup each.
    let by_id: HashMap<&ServiceId, &(Service, Vec<Dest>)> =
        live.services.iter().map(|x| (&x.0.id, x)).collect();
    let mut seen: HashSet<&ServiceId> = HashSet::with_capacity(expected.len());
    for e in expected {
        // Two Services claiming one address and port: the first is judged.
        if !seen.insert(&e.id) {
            continue;
        }
        match by_id.get(&e.id).map(|x| (&x.0, &x.1)) {
            // A loopback node port of a proxier of unknown version.
            None if !e.certain => {}
            None => out.push(finding(
                Code::MissingService,
                e,
                None,
                "no virtual service".into(),
            )),
            Some((s, dests)) => judge(e, s, dests, &mut out),
        }
    }
    orphans(&seen, live, &mut out);
    out
}

fn finding(code: Code, e: &ExpectedService, server: Option<String>, detail: String) -> Finding {
    Finding {
        code,
        rule: Rule(&e.id).to_string(),
        server,
        service: Some(e.service.clone()),
        detail,
    }
}

fn judge(e: &ExpectedService, s: &Service, dests: &[Dest], out: &mut Vec<Finding>) {
    let persistent = s.config.flags & svc_flags::PERSISTENT != 0;
    let live_persistence = persistent.then_some(s.config.timeout);
    if live_persistence != e.persistence {
        let say = |p: Option<u32>| p.map_or("none".to_string(), |t| format!("{t} s"));
        out.push(finding(
            Code::AffinityMismatch,
            e,
            None,
            format!(
                "persistence {}, session affinity wants {}",
                say(live_persistence),
                say(e.persistence)
            ),
        ));
    }
    // An empty virtual service a Local policy explains: expected empty, or
    // the cluster's endpoints a newer proxier falls back on.
    if dests.is_empty() && e.local && e.no_local_endpoint {
        out.push(finding(
            Code::ExpectedEmpty,
            e,
            None,
            format!("no endpoint on this node ({} policy Local)", policy(e.kind)),
        ));
        return;
    }
    for x in &e.servers {
        let live = dests.iter().find(|d| d.addr == x.addr && d.port == x.port);
        let server = Some(server_text(x.addr, x.port));
        let who = endpoint_text(&x.endpoint);
        match (x.weight, live) {
            (0, None) => {}
            (0, Some(d)) if d.config.weight == 0 => {
                out.push(finding(Code::Draining, e, server, drain(&who, d)));
            }
            (0, Some(d)) => out.push(finding(
                Code::StaleServer,
                e,
                server,
                format!("weight {}, {who} not in use", d.config.weight),
            )),
            (_, None) => out.push(finding(
                Code::MissingServer,
                e,
                server,
                format!("{who} missing"),
            )),
            (_, Some(d)) if d.config.weight == 0 => {
                out.push(finding(
                    Code::ZeroWeightReady,
                    e,
                    server,
                    format!("weight 0, {who}"),
                ));
            }
            _ => {}
        }
    }
    for d in dests {
        if is_expected(&e.servers, d) {
            continue;
        }
        let server = Some(server_text(d.addr, d.port));
        if d.config.weight == 0 {
            out.push(finding(Code::Draining, e, server, drain("no endpoint", d)));
        } else {
            let detail = format!("weight {}, no endpoint", d.config.weight);
            out.push(finding(Code::StaleServer, e, server, detail));
        }
    }
}

fn is_expected(servers: &[ExpectedServer], d: &Dest) -> bool {
    servers.iter().any(|x| x.addr == d.addr && x.port == d.port)
}

fn drain(who: &str, d: &Dest) -> String {
    format!(
        "weight 0, {who}: {} active, {} inactive connections",
        d.conns.active, d.conns.inactive
    )
}

fn policy(kind: AddressKind) -> &'static str {
    match kind {
        AddressKind::ClusterIp => "internal traffic",
        _ => "external traffic",
    }
}

/// Live virtual services nothing explains, and kube-ipvs0 addresses no
/// virtual service uses.
fn orphans(expected_ids: &HashSet<&ServiceId>, live: &Live, out: &mut Vec<Finding>) {
    for (s, _) in live.services {
        let ServiceId::Addr { addr, port, .. } = s.id else {
            continue;
        };
        if expected_ids.contains(&s.id) {
            continue;
        }
        // The expectation has every address kube-proxy serves a node port
        // on: one elsewhere on the host is no Service's.
        let on_host = live.host.contains(&addr);
        let detail = if live.kube_ipvs0.contains(&addr) {
            "on a kube-ipvs0 address, no Service"
        } else if on_host && NODE_PORTS.contains(&port) {
            "a node port on a host address, no Service"
        } else {
            // Not kube-proxy's shape: someone else's rule.
            continue;
        };
        out.push(Finding {
            code: Code::OrphanService,
            rule: Rule(&s.id).to_string(),
            server: None,
            service: None,
            detail: detail.to_string(),
        });
    }
    let used: HashSet<IpAddr> = live
        .services
        .iter()
        .filter_map(|(s, _)| match s.id {
            ServiceId::Addr { addr, .. } => Some(addr),
            ServiceId::Fwmark { .. } => None,
        })
        .collect();
    for a in live.kube_ipvs0 {
        if !used.contains(a) {
            out.push(Finding {
                code: Code::OrphanAddress,
                rule: a.to_string(),
                server: None,
                service: None,
                detail: "bound to kube-ipvs0, no virtual service".to_string(),
            });
        }
    }
}

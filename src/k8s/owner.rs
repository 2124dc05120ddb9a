//! Whose a virtual service is (issue 20): kube-proxy's or another
//! owner's, with the evidence that decided. With the cluster's objects, a
//! Service explains it or it is a leftover on kube-ipvs0; without them,
//! kube-proxy's marks, as facts from its IPVS proxier
//! (`pkg/proxy/ipvs/proxier.go`): its addresses sit on kube-ipvs0, node
//! ports on the node's own addresses, every real server is masqueraded,
//! and it makes no firewall-mark services. Pure: the table, the addresses
//! and the expectation come in as data.

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::ops::RangeInclusive;

use serde_json::{json, Value};

use super::view::{kind_text, service_name, Explained};
use crate::ipvs::{Dest, Forward, Service, ServiceId};

/// The node port range unless the cluster says otherwise (the API
/// server's `--service-node-port-range`).
pub const NODE_PORTS: RangeInclusive<u16> = 30000..=32767;

/// Whose a virtual service is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// kube-proxy's for certain.
    KubeProxy,
    /// Only its node-port shape says kube-proxy's.
    LikelyKubeProxy,
    Other,
}

impl Owner {
    /// The name in the JSON and the `--owner` filter.
    pub fn name(self) -> &'static str {
        match self {
            Owner::KubeProxy | Owner::LikelyKubeProxy => "kube-proxy",
            Owner::Other => "other",
        }
    }

    pub fn certainty(self) -> &'static str {
        match self {
            Owner::LikelyKubeProxy => "likely",
            _ => "certain",
        }
    }

    pub fn is_kube_proxy(self) -> bool {
        self != Owner::Other
    }
}

/// An owner and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ownership {
    pub owner: Owner,
    pub evidence: Vec<String>,
}

/// What ownership is decided from, besides the service itself.
pub struct Context<'a> {
    pub kube_ipvs0: &'a HashSet<IpAddr>,
    pub host: &'a HashSet<IpAddr>,
    pub node_ports: RangeInclusive<u16>,
    /// The table kube-proxy would build, when `--k8s` gave the cluster.
    pub expected: Option<&'a Explained<'a>>,
}

fn forward_text(f: Forward) -> &'static str {
    match f {
        Forward::Route => "routed directly",
        Forward::Tunnel => "tunnelled",
        Forward::Local => "local",
        _ => "not masqueraded",
    }
}

fn decided(owner: Owner, evidence: Vec<String>) -> Ownership {
    Ownership { owner, evidence }
}

/// Whose `svc` (with its real servers `dests`) is.
pub fn judge(svc: &Service, dests: &[Dest], ctx: &Context) -> Ownership {
    let ServiceId::Addr { addr, port, .. } = svc.id else {
        let why = "a firewall-mark service: kube-proxy makes none";
        return decided(Owner::Other, vec![why.into()]);
    };
    if let Some(d) = dests.iter().find(|d| d.config.forward != Forward::Masq) {
        let why = format!(
            "real server {} {}: kube-proxy masquerades every one",
            SocketAddr::new(d.addr, d.port),
            forward_text(d.config.forward)
        );
        return decided(Owner::Other, vec![why]);
    }
    let masq = if dests.is_empty() {
        "no real server"
    } else {
        "every real server masqueraded"
    };
    if let Some(e) = ctx.expected.and_then(|x| x.get(&svc.id)) {
        let why = format!(
            "Service {} ({}, {})",
            service_name(&e.service),
            e.service.type_,
            kind_text(e.kind)
        );
        return decided(Owner::KubeProxy, vec![why, masq.into()]);
    }
    if ctx.kube_ipvs0.contains(&addr) {
        let mut why = vec!["address on kube-ipvs0".to_string(), masq.to_string()];
        if ctx.expected.is_some() {
            why.push("no Service: a leftover".into());
        }
        return decided(Owner::KubeProxy, why);
    }
    if ctx.host.contains(&addr) && ctx.node_ports.contains(&port) {
        let mut why = vec![
            format!("node port {port} on an address of this host"),
            masq.to_string(),
        ];
        // The expectation has every address kube-proxy serves a node
        // port on (as the check judges it): this one is no Service's.
        if ctx.expected.is_some() {
            why.push("no Service: a leftover".into());
        }
        return decided(Owner::LikelyKubeProxy, why);
    }
    let why = format!("{addr} is neither on kube-ipvs0 nor a node port of this host");
    decided(Owner::Other, vec![why])
}

/// The label `-L --owner` puts after a service's line.
pub fn label(o: &Ownership) -> String {
    let who = match o.owner {
        Owner::KubeProxy => "kube-proxy",
        Owner::LikelyKubeProxy => "kube-proxy (likely)",
        Owner::Other => "other",
    };
    format!("{who}: {}", o.evidence.join("; "))
}

/// `owner` and `owner_evidence` for a service of the listing's JSON.
pub fn add_json(v: &mut Value, o: &Ownership) {
    v["owner"] = json!(o.owner.name());
    v["owner_evidence"] = json!({
        "certainty": o.owner.certainty(),
        "reasons": o.evidence,
    });
}

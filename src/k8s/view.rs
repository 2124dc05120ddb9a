//! `-L --k8s`: the node's table for people, each line followed by what
//! it is in the cluster: the Service port a virtual service serves, the
//! Pod a real server is, or that nothing explains it. The listing's own
//! lines are `format`'s, unchanged; this only pads them and appends. With
//! `-j` the same facts become a `kubernetes` object on each service and
//! server of the listing's JSON. Pure: the table and the expectation in,
//! text or JSON out.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::expect::{AddressKind, EndpointRef, ExpectedService, ServiceRef};
use crate::ipvs::{Dest, Service, ServiceId};

/// What an unexplained virtual service is marked with.
pub const NO_SERVICE: &str = "no Service";
/// What an unexplained real server is marked with.
pub const NO_ENDPOINT: &str = "no endpoint";

/// The expected virtual services by identity, each the first Service
/// that claims it (as `compare` judges it): one lookup a line, whatever
/// the size of the table.
pub struct Explained<'a>(HashMap<ServiceId, &'a ExpectedService>);

impl<'a> Explained<'a> {
    pub fn new(expected: &'a [ExpectedService]) -> Self {
        let mut m = HashMap::with_capacity(expected.len());
        for e in expected {
            m.entry(e.id).or_insert(e);
        }
        Explained(m)
    }

    /// The expected virtual service with this identity.
    pub fn get(&self, id: &ServiceId) -> Option<&'a ExpectedService> {
        self.0.get(id).copied()
    }

    /// The namespace and name of the Service the virtual service `id` is.
    pub fn owner(&self, id: &ServiceId) -> Option<(&'a str, &'a str)> {
        self.get(id)
            .map(|e| (e.service.namespace.as_str(), e.service.name.as_str()))
    }
}

/// The endpoint a live real server is, in its expected virtual service.
pub fn endpoint_of<'a>(e: &'a ExpectedService, d: &Dest) -> Option<&'a EndpointRef> {
    e.servers
        .iter()
        .find(|x| x.addr == d.addr && x.port == d.port)
        .map(|x| &x.endpoint)
}

/// `cluster IP`, `external IP`, `load balancer`, `node port`.
pub fn kind_text(k: AddressKind) -> &'static str {
    match k {
        AddressKind::ClusterIp => "cluster IP",
        AddressKind::ExternalIp => "external IP",
        AddressKind::LoadBalancer => "load balancer",
        AddressKind::NodePort => "node port",
    }
}

fn kind_json(k: AddressKind) -> &'static str {
    match k {
        AddressKind::ClusterIp => "cluster_ip",
        AddressKind::ExternalIp => "external_ip",
        AddressKind::LoadBalancer => "load_balancer",
        AddressKind::NodePort => "node_port",
    }
}

/// `kube-system/kube-dns:dns-tcp`; an unnamed port leaves `:name` off.
pub fn service_name(s: &ServiceRef) -> String {
    if s.port_name.is_empty() {
        format!("{}/{}", s.namespace, s.name)
    } else {
        format!("{}/{}:{}", s.namespace, s.name, s.port_name)
    }
}

/// `ready`, `serving, terminating`, `terminating` or `not ready`.
pub fn state_text(e: &EndpointRef) -> &'static str {
    if e.ready {
        "ready"
    } else if e.serving && e.terminating {
        "serving, terminating"
    } else if e.terminating {
        "terminating"
    } else {
        "not ready"
    }
}

/// A virtual service's line: `kube-system/kube-dns:dns (ClusterIP, cluster IP)`.
pub fn service_text(e: Option<&ExpectedService>) -> String {
    match e {
        Some(e) => format!(
            "{} ({}, {})",
            service_name(&e.service),
            e.service.type_,
            kind_text(e.kind)
        ),
        None => NO_SERVICE.to_string(),
    }
}

/// A real server's line: `pod default/web-1 on node-a, ready`.
pub fn server_text(e: Option<&EndpointRef>) -> String {
    let Some(e) = e else {
        return NO_ENDPOINT.to_string();
    };
    let who = match &e.pod {
        Some((ns, name)) => format!("pod {ns}/{name}"),
        None => "endpoint".to_string(),
    };
    match &e.node {
        Some(n) => format!("{who} on {n}, {}", state_text(e)),
        None => format!("{who}, {}", state_text(e)),
    }
}

/// One service's entry as `format::service_entry` printed it (its first
/// line the service, then one line per real server in `dests`' order),
/// with the labels that go after each line.
pub fn labels(svc: &Service, dests: &[Dest], expected: &Explained) -> Vec<String> {
    let e = expected.get(&svc.id);
    let mut v = vec![service_text(e)];
    v.extend(
        dests
            .iter()
            .map(|d| server_text(e.and_then(|e| endpoint_of(e, d)))),
    );
    v
}

/// The listing's lines with their labels: each line padded to the widest
/// labelled one, two spaces, the label. `head` (the header and title) is
/// printed as it is; `entries` are each service's text and its labels.
pub fn annotate(head: &str, entries: &[(String, Vec<String>)]) -> String {
    let width = entries
        .iter()
        .flat_map(|(text, _)| text.lines())
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::from(head);
    for (text, labels) in entries {
        for (i, line) in text.lines().enumerate() {
            match labels.get(i) {
                Some(label) => {
                    let pad = width - line.chars().count();
                    out.push_str(line);
                    out.extend(std::iter::repeat_n(' ', pad + 2));
                    out.push_str(label);
                }
                None => out.push_str(line),
            }
            out.push('\n');
        }
    }
    out
}

/// The `kubernetes` object of a service in the listing's JSON, null when
/// no Service explains it.
pub fn service_json(e: Option<&ExpectedService>) -> Value {
    match e {
        Some(e) => json!({
            "namespace": e.service.namespace,
            "name": e.service.name,
            "port_name": e.service.port_name,
            "type": e.service.type_,
            "address_kind": kind_json(e.kind),
        }),
        None => Value::Null,
    }
}

/// The `kubernetes` object of a real server, null when it is no endpoint.
pub fn server_json(e: Option<&EndpointRef>) -> Value {
    match e {
        Some(e) => json!({
            "pod": e.pod.as_ref().map(|(ns, name)| json!({ "namespace": ns, "name": name })),
            "node": e.node,
            "ready": e.ready,
            "serving": e.serving,
            "terminating": e.terminating,
        }),
        None => Value::Null,
    }
}

/// A service of the listing's JSON (`format::json::service`) with the
/// `kubernetes` objects added, to it and to each of its servers (which
/// are in `dests`' order).
pub fn add_json(v: &mut Value, svc: &Service, dests: &[Dest], expected: &Explained) {
    let e = expected.get(&svc.id);
    v["kubernetes"] = service_json(e);
    if let Some(servers) = v["servers"].as_array_mut() {
        for (s, d) in servers.iter_mut().zip(dests) {
            s["kubernetes"] = server_json(e.and_then(|e| endpoint_of(e, d)));
        }
    }
}
